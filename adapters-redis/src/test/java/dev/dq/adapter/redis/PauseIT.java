package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dq.core.port.Broker;
import dev.dq.core.port.QueuePause;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.testing.PausedPoolContract;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A worker pool on Redis obeys a pause made by another client (standing for {@code dq queue pause}
 * in another process): it learns it from its claims and its periodic check, not from a call in its
 * own broker. On an append-only Redis, so that the pause survives a restart of Redis.
 */
final class PauseIT extends PausedPoolContract {
  @RegisterExtension static final TestRedis redis = TestRedis.durable();

  private RedisBroker operator;

  @Override
  protected Broker createBroker() {
    return redis.broker(10_000);
  }

  @Override
  protected QueuePauses operator() {
    if (operator == null) {
      operator = redis.broker(10_000);
    }
    return operator;
  }

  @AfterEach
  void closeOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void pause_survivesRedisRestart_noTaskStartsUntilResume() throws Exception {
    broker = createBroker();
    QueuePause pause = operator().pause(QUEUE, "ops@host", "restart", Optional.empty());
    enqueue(5);
    startPool();

    redis.kill9();
    redis.restart();

    // the pool reconnects, claims again and finds the queue still paused
    await().atMost(PATIENCE).until(() -> operator().pauseOf(QUEUE).isPresent());
    assertThat(operator().pauseOf(QUEUE)).contains(pause);
    Thread.sleep(2_000);
    assertThat(started()).isZero();
    assertThat(stats()).isEqualTo(new QueueStats(QUEUE, 5, 0, 0));

    operator().resume(QUEUE);

    assertAllDoneOnceOnFirstAttempt(5);
  }
}
