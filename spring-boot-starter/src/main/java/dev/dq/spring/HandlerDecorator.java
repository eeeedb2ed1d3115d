package dev.dq.spring;

import dev.dq.core.worker.NamedTaskHandler;

/**
 * Wraps every handler the worker pool serves (the OpenTelemetry integration runs each attempt in a
 * span). At most one bean of this type.
 */
@FunctionalInterface
public interface HandlerDecorator {
  /**
   * The handler to serve in place of {@code handler}, for the same task type.
   *
   * @param handler a handler bean
   * @return the handler to serve
   */
  NamedTaskHandler decorate(NamedTaskHandler handler);
}
