package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleSpec;
import dev.dq.testing.BrokerAndSchedules;
import dev.dq.testing.SchedulesContract;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RedisSchedules} passes the shared contract, and fires on the Redis server's clock when no
 * test clock is set.
 */
final class RedisSchedulesIT extends SchedulesContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected BrokerAndSchedules create(InstantSource clock, int capacityPerQueue) {
    redis.flushAll();
    RedisBroker broker = redis.broker(clock, capacityPerQueue);
    return new BrokerAndSchedules(broker, broker.schedules());
  }

  @Test
  void serverClock_decidesWhetherATickIsDue() {
    try (RedisBroker real = redis.broker(1_000)) {
      RedisSchedules s = real.schedules();
      Instant now = s.now();
      assertThat(now).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(5));
      Schedule sched = Schedule.of("srv", QUEUE, ScheduleSpec.every(Duration.ofSeconds(1)), "t");
      Instant future = now.plusSeconds(3600);
      s.upsert(sched, future);
      assertThat(s.fire(sched, future, future.plusSeconds(1))).isEqualTo(FireOutcome.EARLY);
      Instant past = now.minusSeconds(1);
      s.remove(QUEUE, "srv");
      s.upsert(sched, past);
      assertThat(s.fire(sched, past, past.plusSeconds(1))).isEqualTo(FireOutcome.FIRED);
    }
  }
}
