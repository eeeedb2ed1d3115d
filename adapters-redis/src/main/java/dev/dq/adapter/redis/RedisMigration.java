package dev.dq.adapter.redis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * Upgrades a Redis from dq's data model v1 (dq 0.x: one hash {@code dq:{q}:task:<id>} per task) to
 * v2 (per queue, the hashes {@code tasks}, {@code attempts}, {@code failures} and {@code dumps}),
 * as {@code docs/redis-data-model.md} describes; what {@code dq migrate} runs. Stop every older dq
 * process first: a v1 worker must not run against v2 data.
 *
 * <p>For each queue of {@link RedisKeys#QUEUES} (and any given), it finds the v1 task keys with
 * {@code SCAN MATCH dq:{q}:task:*} (on a cluster, on the node that owns the queue's slot) and moves
 * each page of keys with one script call, each key as a whole. So it is idempotent and safe to run
 * again after a crash (kill -9 included): a rerun finds the moved keys gone and moves the rest. It
 * writes {@link RedisKeys#DATA_MODEL} = {@code 1} when it starts and {@code 2} when it is done, so
 * that a v2 worker refuses to start on a Redis whose migration did not finish.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class RedisMigration implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisMigration.class);

  /** Keys per SCAN page and per script call, unless set otherwise. */
  public static final int DEFAULT_BATCH = 500;

  private final UnifiedJedis jedis;
  private final RedisGateway redis;
  private final int batch;

  private RedisMigration(RedisBrokerConfig config, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1: " + batch);
    }
    this.jedis = RedisConnections.create(config);
    this.redis = new RedisGateway(jedis, false, config);
    this.batch = batch;
  }

  /**
   * A migration of the Redis {@code config} names, with its own connections (closed by {@link
   * #close()}), moving {@value #DEFAULT_BATCH} keys per call. Does not connect yet.
   *
   * @param config the settings; only the URL, trust, timeouts and cluster flag matter
   * @return the migration
   */
  public static RedisMigration connect(RedisBrokerConfig config) {
    return connect(config, DEFAULT_BATCH);
  }

  /**
   * Like {@link #connect(RedisBrokerConfig)}, with {@code batch} keys per SCAN page and script
   * call.
   *
   * @param config the settings
   * @param batch keys per call, at least 1
   * @return the migration
   * @throws IllegalArgumentException {@code batch} is below 1
   */
  public static RedisMigration connect(RedisBrokerConfig config, int batch) {
    return new RedisMigration(Objects.requireNonNull(config, "config"), batch);
  }

  /**
   * Moves every v1 task key of every listed queue and of {@code queues} to v2, then marks the Redis
   * as v2. With {@code dryRun}, counts only and changes nothing.
   *
   * @param queues queues to migrate besides those in {@link RedisKeys#QUEUES} (v1 keys of a queue
   *     that is not listed there)
   * @param dryRun count what would move, change nothing
   * @param eachQueue told about each queue as soon as it is done
   * @return what moved (or would), per queue
   * @throws dev.dq.core.task.InvalidTaskException a name in {@code queues} is not a valid queue
   *     name
   * @throws dev.dq.core.port.BrokerUnavailableException Redis could not be reached; run again
   */
  public MigrationReport migrate(
      Collection<String> queues, boolean dryRun, Consumer<MigrationReport.Queue> eachQueue) {
    List<String> given = new ArrayList<>();
    for (String q : queues) {
      given.add(RedisKeys.of(q).queue()); // checks the name
    }
    if (!dryRun) {
      // Even over a "2": a process may have marked an empty Redis before v1 data was written to it.
      // Until this run ends, a new broker refuses this Redis instead of meeting half-moved queues.
      redis.callRetryingOnce(
          "mark the migration as started",
          () -> jedis.set(RedisKeys.DATA_MODEL, DataModel.MIGRATING));
    }
    Set<String> all = DataModel.queues(redis, given);
    List<MigrationReport.Queue> done = new ArrayList<>();
    for (String queue : all) {
      RedisKeys k;
      try {
        k = RedisKeys.of(queue);
      } catch (RuntimeException e) {
        log.warn("skipping {} in {}: not a queue name", queue, RedisKeys.QUEUES);
        continue;
      }
      MigrationReport.Queue report = migrate(k, dryRun);
      done.add(report);
      eachQueue.accept(report);
    }
    if (!dryRun) {
      redis.callRetryingOnce(
          "mark the data model as v2", () -> jedis.set(RedisKeys.DATA_MODEL, DataModel.CURRENT));
    }
    return new MigrationReport(done, dryRun);
  }

  private MigrationReport.Queue migrate(RedisKeys k, boolean dryRun) {
    String prefix = k.v1TaskPrefix();
    long[] counts = new long[2]; // moved, conflicts
    List<String> otherTypes = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    redis.scan(
        "scan the task keys of " + k.queue(),
        prefix + "*",
        batch,
        page -> {
          List<String> found = page;
          if (dryRun) {
            // SCAN may return a key twice; a real run moves it once, a dry run must count it once.
            found = found.stream().filter(seen::add).toList();
          }
          if (found.isEmpty()) {
            return;
          }
          List<String> keys = new ArrayList<>(4 + found.size());
          keys.addAll(List.of(k.tasks(), k.attempts(), k.failures(), k.dumps()));
          keys.addAll(found);
          List<String> args = new ArrayList<>(found.size() + 1);
          for (String key : found) {
            args.add(key.substring(prefix.length()));
          }
          args.add(dryRun ? "1" : "");
          // Each key moves as a whole, so running the same page again (after a lost reply) is
          // harmless.
          List<?> reply =
              (List<?>)
                  redis.scriptRetryingOnce(
                      "migrate the task keys of " + k.queue(), Script.MIGRATE, keys, args);
          counts[0] += (Long) reply.get(0);
          counts[1] += (Long) reply.get(1);
          for (Object id : reply.subList(3, reply.size())) {
            otherTypes.add((String) id);
          }
        });
    long moved = counts[0];
    long conflicts = counts[1];
    if (conflicts > 0) {
      log.warn("queue {}: dropped {} v1 task keys whose id v2 already held", k.queue(), conflicts);
    }
    return new MigrationReport.Queue(
        k.queue(), moved, conflicts, otherTypes.stream().distinct().toList());
  }

  /** Closes the connections. */
  @Override
  public void close() {
    jedis.close();
  }

  @Override
  public String toString() {
    return "RedisMigration[" + redis.config().url() + "]";
  }
}
