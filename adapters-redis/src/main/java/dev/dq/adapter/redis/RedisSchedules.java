package dev.dq.adapter.redis;

import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleEvent;
import dev.dq.core.schedule.ScheduleState;
import dev.dq.core.schedule.Schedules;
import dev.dq.core.schedule.UpsertOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.util.SafeEncoder;

/**
 * {@link Schedules} in Redis, under each queue's hash tag (see {@code docs/redis-data-model.md}):
 * {@code cron} (name to spec), {@code cron-next} (name to next tick), {@code cron-live}, {@code
 * cron-paused} and one capped {@code cron-log:<name>} per schedule. Every change is one script:
 * {@code cron-upsert.lua}, {@code cron-fire.lua} (check, enqueue and advance in one step, on the
 * server's TIME) and {@code cron-admin.lua}. Reads are plain commands.
 */
public final class RedisSchedules implements Schedules {
  private final RedisGateway redis;

  RedisSchedules(RedisGateway redis) {
    this.redis = redis;
  }

  @Override
  public Instant now() {
    Optional<java.time.InstantSource> test = redis.config().testClock();
    if (test.isPresent()) {
      return test.get().instant();
    }
    Object reply =
        redis.call(
            "read the server time",
            () -> redis.jedis().sendCommand(RedisKeys.QUEUES, Protocol.Command.TIME));
    List<?> parts = (List<?>) reply;
    long seconds = Long.parseLong(SafeEncoder.encode((byte[]) parts.get(0)));
    long micros = Long.parseLong(SafeEncoder.encode((byte[]) parts.get(1)));
    return Instant.ofEpochSecond(seconds, micros * 1_000);
  }

  @Override
  public UpsertOutcome upsert(Schedule schedule, Instant firstTick) {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(firstTick, "firstTick");
    RedisKeys k = RedisKeys.of(schedule.queue());
    redis.register(schedule.queue());
    Object reply =
        redis.script(
            "upsert schedule " + schedule.name(),
            Script.CRON_UPSERT,
            List.of(k.cron(), k.cronNext()),
            List.of(
                schedule.name(),
                ScheduleCodec.encode(schedule),
                Long.toString(firstTick.toEpochMilli())));
    return UpsertOutcome.valueOf(String.valueOf(reply));
  }

  @Override
  public boolean remove(String queue, String name) {
    return admin("remove", queue, name, "");
  }

  @Override
  public Optional<ScheduleState> get(String queue, String name) {
    RedisKeys k = RedisKeys.of(queue);
    String what = "read schedule " + name;
    String spec = redis.callRetryingOnce(what, () -> redis.jedis().hget(k.cron(), name));
    if (spec == null) {
      return Optional.empty();
    }
    Double next = redis.callRetryingOnce(what, () -> redis.jedis().zscore(k.cronNext(), name));
    boolean paused =
        redis.callRetryingOnce(what, () -> redis.jedis().sismember(k.cronPaused(), name));
    return Optional.of(state(k, name, spec, next, paused));
  }

  @Override
  public List<ScheduleState> list(String queue) {
    RedisKeys k = RedisKeys.of(queue);
    String what = "list the schedules of queue " + queue;
    Map<String, String> specs =
        new TreeMap<>(redis.callRetryingOnce(what, () -> redis.jedis().hgetAll(k.cron())));
    Set<String> paused = redis.callRetryingOnce(what, () -> redis.jedis().smembers(k.cronPaused()));
    List<ScheduleState> states = new ArrayList<>();
    for (Map.Entry<String, String> e : specs.entrySet()) {
      Double next =
          redis.callRetryingOnce(what, () -> redis.jedis().zscore(k.cronNext(), e.getKey()));
      states.add(state(k, e.getKey(), e.getValue(), next, paused.contains(e.getKey())));
    }
    return List.copyOf(states);
  }

  private static ScheduleState state(
      RedisKeys k, String name, String spec, Double next, boolean paused) {
    Schedule schedule = ScheduleCodec.decode(k.cron() + " " + name, spec);
    Instant nextTick = Instant.ofEpochMilli(next == null ? 0 : next.longValue());
    return new ScheduleState(schedule, nextTick, paused);
  }

  @Override
  public boolean pause(String queue, String name) {
    return admin("pause", queue, name, "");
  }

  @Override
  public boolean resume(String queue, String name, Instant nextTick) {
    Objects.requireNonNull(nextTick, "nextTick");
    return admin("resume", queue, name, Long.toString(nextTick.toEpochMilli()));
  }

  private boolean admin(String op, String queue, String name, String next) {
    RedisKeys k = RedisKeys.of(queue);
    Object reply =
        redis.script(
            op + " schedule " + name,
            Script.CRON_ADMIN,
            List.of(k.cron(), k.cronNext(), k.cronLive(), k.cronLog(name), k.cronPaused()),
            List.of(op, name, next));
    return Long.valueOf(1).equals(reply);
  }

  @Override
  public List<ScheduleEvent> history(String queue, String name, int max) {
    if (max <= 0) {
      return List.of();
    }
    RedisKeys k = RedisKeys.of(queue);
    List<String> lines =
        redis.callRetryingOnce(
            "read the history of schedule " + name,
            () -> redis.jedis().lrange(k.cronLog(name), 0, max - 1L));
    List<ScheduleEvent> events = new ArrayList<>(lines.size());
    for (String line : lines) {
      String[] f = line.split(" ", 4);
      events.add(
          new ScheduleEvent(
              Instant.ofEpochMilli(Long.parseLong(f[0])),
              f[3],
              FireOutcome.valueOf(f[1]),
              Instant.ofEpochMilli(Long.parseLong(f[2]))));
    }
    return List.copyOf(events);
  }

  @Override
  public FireOutcome fire(Schedule schedule, Instant tick, Instant nextTick) {
    return step("fire", schedule, tick, nextTick);
  }

  @Override
  public FireOutcome miss(Schedule schedule, Instant tick, Instant nextTick) {
    return step("miss", schedule, tick, nextTick);
  }

  private FireOutcome step(String mode, Schedule schedule, Instant tick, Instant nextTick) {
    Objects.requireNonNull(schedule, "schedule");
    Schedules.checkOrder(tick, nextTick);
    RedisKeys k = RedisKeys.of(schedule.queue());
    var task = schedule.task(tick);
    redis.config().limits().check(task);
    Object reply =
        redis.script(
            mode + " tick " + tick + " of schedule " + schedule.name(),
            Script.CRON_FIRE,
            java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(
                        k.cron(),
                        k.cronNext(),
                        k.cronLive(),
                        k.cronLog(schedule.name()),
                        k.cronPaused(),
                        k.ready(),
                        k.delayed(),
                        k.wakeups(),
                        k.tasks(),
                        k.dead()),
                    k.levelBlock().stream())
                .toList(),
            List.of(
                schedule.name(),
                ScheduleCodec.encode(schedule),
                Long.toString(tick.toEpochMilli()),
                Long.toString(nextTick.toEpochMilli()),
                mode,
                task.id().value(),
                redis.codec().encode(task),
                Integer.toString(redis.config().capacityPerQueue()),
                redis.now(),
                schedule.overlap().name(),
                Integer.toString(HISTORY_LIMIT)));
    return FireOutcome.valueOf(String.valueOf(reply));
  }
}
