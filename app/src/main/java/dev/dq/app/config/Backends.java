package dev.dq.app.config;

import dev.dq.core.port.Broker;
import java.util.Set;

/**
 * What commands may ask about the broker backends, without knowing any of them: the one
 * implementation is the registry in {@code app.wiring}, the only place that names a backend.
 */
public interface Backends {

  /** The names {@code --broker} / {@code DQ_BROKER} accept. */
  Set<String> names();

  /** The backend used when neither {@code --broker} nor {@code DQ_BROKER} names one. */
  String defaultName();

  /**
   * Whether the backend lives inside this process, so that other dq processes cannot see its tasks.
   */
  boolean inProcess(String name);

  /**
   * Checks the settings the backend reads (its URL); throws IAE with a message that is safe to
   * print.
   */
  void check(String name, String url);

  /**
   * Opens a broker of that backend outside any injector, for tools that size it themselves (bench).
   *
   * @param app the shared settings: the backend's URL and durable enqueue
   * @param capacity most waiting tasks per queue
   * @param connections connections the caller's threads need at once
   */
  Broker open(String name, AppSettings app, int capacity, int connections);

  /**
   * The counters of the backend's server, for tools that report what a run cost it (bench); {@link
   * ServerStats#NONE} for a backend without a server of its own. Does not connect yet.
   *
   * @param app the shared settings: the backend's URL
   */
  ServerStats serverStats(String name, AppSettings app);

  /**
   * Whether the backend can confirm enqueues with replicas (Redis WAIT), so that {@code
   * --durable-replicas} means something.
   */
  boolean confirmsEnqueues(String name);
}
