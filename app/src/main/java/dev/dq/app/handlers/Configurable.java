package dev.dq.app.handlers;

import dev.dq.core.worker.NamedTaskHandler;

/**
 * A handler that takes settings from the command line. {@link java.util.ServiceLoader} creates
 * every handler with its no-argument constructor; the loader then asks each one that implements
 * this for its configured form, so a built-in handler with settings needs no special case in the
 * loader.
 */
public interface Configurable {
  /** This handler's type with {@code settings} applied; thread-safe like any handler. */
  NamedTaskHandler configure(HandlerSettings settings);
}
