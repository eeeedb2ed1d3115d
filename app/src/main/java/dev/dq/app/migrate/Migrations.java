package dev.dq.app.migrate;

import java.util.List;
import java.util.function.Consumer;

/** Opens the migration of one Redis once the command's settings are known; wiring implements it. */
@FunctionalInterface
public interface Migrations {
  /**
   * The migration of the Redis at {@code redisUrl}; connects nothing yet.
   *
   * @param redisUrl the URL
   * @param batch keys per SCAN page and per script call
   * @return the migration, closed by the caller
   * @throws IllegalArgumentException {@code redisUrl} is not a Redis URL (the message masks any
   *     password)
   */
  Migration open(String redisUrl, int batch);

  /** One Redis's migration from data model v1 to v2. */
  interface Migration extends AutoCloseable {
    /**
     * Migrates every listed queue and {@code queues}, then marks the Redis as v2; with {@code
     * dryRun}, counts only.
     *
     * @param queues queues to migrate besides the listed ones
     * @param dryRun change nothing
     * @param eachQueue told about each queue as soon as it is done
     * @return tasks moved (or to move), over every queue
     */
    long migrate(List<String> queues, boolean dryRun, Consumer<Queue> eachQueue);

    @Override
    void close();
  }

  /**
   * What happened to one queue.
   *
   * @param queue the queue's name
   * @param moved tasks moved (or to move)
   * @param conflicts v1 keys dropped because v2 already held their id
   * @param otherTypes ids of v1 keys of another type, left in place
   */
  record Queue(String queue, long moved, long conflicts, List<String> otherTypes) {
    public Queue {
      otherTypes = List.copyOf(otherTypes);
    }
  }
}
