package dev.dq.adapter.redis;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.ops.TaskPage;
import dev.dq.core.port.Broker;
import dev.dq.testing.TaskBrowserContract;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisBroker} passes the task browsing contract, plus its treatment of orphan ids. */
final class RedisTaskBrowserIT extends TaskBrowserContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected Broker createBroker(InstantSource clock) {
    redis.flushAll();
    return redis.broker(clock, 1_000);
  }

  @Test
  void readyIdWithoutItsData_leftOutOfThePage_butCounted() throws Exception {
    enqueue(aTask("t1").build(), aTask("t2").build());
    redis.admin().hdel("dq:{" + QUEUE + "}:tasks", "t1");

    TaskPage page = browser.list(QUEUE, TaskState.READY, 0, 10);

    assertThat(page.total()).isEqualTo(2);
    assertThat(page.tasks()).extracting(t -> t.id().value()).containsExactly("t2");
  }
}
