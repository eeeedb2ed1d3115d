package dev.dq.adapter.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import redis.clients.jedis.resps.Tuple;

/**
 * The entries of a queue's dead set whose sequence (their score) is at or below the highest one
 * present when the snapshot was taken: what a bulk action (requeue all, purge) acts on. An entry
 * that dies again while the action runs gets a new, higher sequence from {@code dead-seq} and falls
 * outside, so the action ends and touches each entry at most once, however fast workers send tasks
 * back. The scripts it feeds take {@link #bound()} and skip an entry whose sequence has moved past
 * it between the page read and the script.
 *
 * <p>Pages follow the sequence, not the rank: entries the action leaves in place are not read
 * again, and entries it removes shift nothing. Not thread-safe; one per bulk action.
 */
final class DeadSnapshot {
  static final int PAGE = 100;

  private final RedisGateway redis;
  private final RedisKeys keys;
  private final String bound;
  private final String max;
  private String from = "-inf";
  private boolean done;

  private DeadSnapshot(RedisGateway redis, RedisKeys keys, Optional<Double> highest) {
    this.redis = redis;
    this.keys = keys;
    this.done = highest.isEmpty();
    double h = highest.orElse(Double.NEGATIVE_INFINITY);
    this.max = score(h);
    this.bound = h == Double.POSITIVE_INFINITY ? "" : max;
  }

  /** The snapshot of the dead set of {@code keys}' queue now. */
  static DeadSnapshot take(RedisGateway redis, RedisKeys keys) {
    List<Tuple> last =
        redis.callRetryingOnce(
            "read the newest dead letter of " + keys.queue(),
            () -> redis.jedis().zrangeWithScores(keys.dead(), -1, -1));
    return new DeadSnapshot(
        redis, keys, last.isEmpty() ? Optional.empty() : Optional.of(last.get(0).getScore()));
  }

  /**
   * The highest sequence, as the scripts' "highest sequence" argument ('' = no bound, for a
   * hand-written +inf).
   */
  String bound() {
    return bound;
  }

  /** The next entries of the snapshot, oldest first; empty when none is left. */
  List<String> nextPage() {
    if (done) {
      return List.of();
    }
    String min = from;
    List<Tuple> page =
        redis.callRetryingOnce(
            "list dead letters of " + keys.queue(),
            () -> redis.jedis().zrangeByScoreWithScores(keys.dead(), min, max, 0, PAGE));
    if (page.isEmpty()) {
      done = true;
      return List.of();
    }
    Set<String> ids = new LinkedHashSet<>();
    page.forEach(t -> ids.add(t.getElement()));
    double last = page.get(page.size() - 1).getScore();
    if (page.size() == PAGE) {
      // Hand-written entries may share a score, and the next page starts above this one's last
      // score: take the rest
      // of that score's members now.
      String at = score(last);
      ids.addAll(
          redis.callRetryingOnce(
              "list dead letters of " + keys.queue(),
              () -> redis.jedis().zrangeByScore(keys.dead(), at, at)));
    }
    from = "(" + score(last);
    done = last == Double.POSITIVE_INFINITY;
    return new ArrayList<>(ids);
  }

  /**
   * A score as Redis and Lua read it back exactly: an integer (what {@code dead-seq} hands out)
   * without fraction.
   */
  static String score(double score) {
    if (Double.isInfinite(score)) {
      return score > 0 ? "+inf" : "-inf";
    }
    if (score == Math.rint(score) && Math.abs(score) < 1e15) {
      return Long.toString((long) score);
    }
    return Double.toString(score);
  }
}
