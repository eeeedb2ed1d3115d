package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The MDC keys a handler's log lines carry, and that they do not outlive the task. */
final class WorkerPoolMdcTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private PoolHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void handler_withTheLoggingListener_seesItsOwnTaskKeysInTheMdc() {
    h = PoolHarness.onFakeTime();
    Map<String, List<String>> seen = new ConcurrentHashMap<>();
    h.start(
        c -> c.workers(2).prefetch(4).ackBatch(3),
        b ->
            b.listener(new LoggingTaskEventListener())
                .handler(
                    "test",
                    t ->
                        seen.put(
                            t.id().value(),
                            List.of(
                                String.valueOf(MDC.get("task_id")),
                                String.valueOf(MDC.get("task_type")),
                                String.valueOf(MDC.get("queue")),
                                String.valueOf(MDC.get("attempt")),
                                String.valueOf(MDC.get("worker"))))));

    for (int i = 0; i < 50; i++) {
      h.enqueue(aTask("t" + i).build());
    }

    await().atMost(WAIT).until(() -> seen.size() == 50);
    assertThat(seen)
        .allSatisfy(
            (id, keys) -> {
              assertThat(keys.subList(0, 4)).containsExactly(id, "test", "default", "1");
              assertThat(keys.get(4)).startsWith("dq-worker");
            });
  }

  @Test
  void worker_ackingBetweenTasks_carriesNoTaskKeys() {
    h = PoolHarness.onFakeTime();
    List<String> outsideTasks = new CopyOnWriteArrayList<>();
    HookedBroker.Hook record = () -> outsideTasks.add(String.valueOf(MDC.get("task_id")));
    h.hooked.before(HookedBroker.Op.ACK_ALL, record);
    h.start(c -> c.workers(1).prefetch(5).ackBatch(2), b -> b.handler("test", t -> {}));

    for (int i = 0; i < 20; i++) {
      h.enqueue(aTask("t" + i).build());
    }

    await().atMost(WAIT).until(() -> h.events.all(TaskEvent.Succeeded.class).size() == 20);
    assertThat(outsideTasks).isNotEmpty().containsOnly("null");
  }
}
