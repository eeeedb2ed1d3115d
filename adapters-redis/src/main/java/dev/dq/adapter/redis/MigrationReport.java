package dev.dq.adapter.redis;

import java.util.List;
import java.util.Objects;

/**
 * What {@link RedisMigration#migrate} did, or would do on a dry run, per queue.
 *
 * @param queues one entry per queue looked at, in name order
 * @param dryRun nothing was changed; the counts say what a real run would do
 */
public record MigrationReport(List<Queue> queues, boolean dryRun) {
  /**
   * @param queues one entry per queue looked at
   * @param dryRun nothing was changed
   */
  public MigrationReport {
    queues = List.copyOf(Objects.requireNonNull(queues, "queues"));
  }

  /**
   * Tasks moved to v2 (or to move, on a dry run), over every queue.
   *
   * @return the sum of {@link Queue#moved()}
   */
  public long moved() {
    return queues.stream().mapToLong(Queue::moved).sum();
  }

  /**
   * One queue's part.
   *
   * @param queue the queue's name
   * @param moved v1 task keys whose content went to the v2 hashes (or would)
   * @param conflicts v1 task keys deleted because v2 already held a task with that id
   * @param otherTypes ids whose v1 key is neither a hash nor a string: left in place, not migrated
   */
  public record Queue(String queue, long moved, long conflicts, List<String> otherTypes) {
    /**
     * @param queue the queue's name
     * @param moved task keys moved
     * @param conflicts task keys dropped for a v2 entry with the same id
     * @param otherTypes ids of keys left in place
     */
    public Queue {
      Objects.requireNonNull(queue, "queue");
      otherTypes = List.copyOf(otherTypes);
    }
  }
}
