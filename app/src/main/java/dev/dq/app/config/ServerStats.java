package dev.dq.app.config;

import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Counters of the server a backend keeps its tasks on, read by tools that report what a run cost
 * the server (bench). For Redis they are the fields of {@code INFO cpu} and {@code INFO
 * commandstats}; a backend without a server of its own has none.
 */
public interface ServerStats extends AutoCloseable {

  /** Stats of a backend that has no server to ask (memory): {@link #read()} is always empty. */
  ServerStats NONE =
      new ServerStats() {
        @Override
        public Map<String, String> read() {
          return Map.of();
        }

        @Override
        public void close() {}
      };

  /**
   * The server's counters now, by field name as the server spells them (for Redis: {@code
   * used_cpu_user} = {@code "1.234567"}, {@code cmdstat_evalsha} = {@code "calls=3,usec=..."}). Not
   * thread-safe; the first call connects.
   *
   * @return the fields, empty if the backend has no server to ask
   * @throws UncheckedIOException the server could not be reached or refused the request; the
   *     message is safe to print
   */
  Map<String, String> read();

  /** Closes the connection, if one was opened; idempotent. */
  @Override
  void close();
}
