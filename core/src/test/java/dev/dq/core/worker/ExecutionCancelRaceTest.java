package dev.dq.core.worker;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.port.Lease;
import dev.dq.testing.FakeBroker;
import dev.dq.testing.FakeClock;
import dev.dq.testing.ManualScheduler;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link Execution#cancel} racing a handler that returns: the cancel's interrupt either reaches the
 * handler or nobody, never what the worker thread does after the task. The window it guards (the
 * cancel reading the thread before the worker lets it go, and interrupting after the worker cleared
 * its flag) cannot be forced from outside, so this runs the race many times: a guard against
 * regressions, not a proof; it did not catch the unguarded code in the runs made here.
 */
final class ExecutionCancelRaceTest {
  private static final int ROUNDS = 1_000;

  @Test
  void cancelAsTheHandlerReturns_interruptNeverLeaksToTheThreadsNextTask() throws Exception {
    FakeClock clock = FakeClock.at("2024-01-01T00:00:00Z");
    FakeBroker fake = new FakeBroker(clock);
    CancellingBroker broker = new CancellingBroker(fake);
    WorkerPoolConfig config = WorkerPoolConfig.builder().workers(1).build();
    PoolServices services =
        new PoolServices(
            broker,
            config,
            clock,
            TaskEventListener.NONE,
            new Random(7),
            new ManualScheduler(clock),
            new RateLimitedLog(
                LoggerFactory.getLogger(ExecutionCancelRaceTest.class), clock, Duration.ZERO),
            new AtomicLong(),
            QueueSelection.of(config, clock));
    CyclicBarrier go = new CyclicBarrier(2);
    CyclicBarrier done = new CyclicBarrier(2);
    int leaked = 0;
    for (int i = 0; i < ROUNDS; i++) {
      fake.enqueue(aTask("t" + i).build(), Duration.ZERO);
      Lease lease = fake.dequeue("default", Duration.ofMinutes(1), Duration.ZERO).orElseThrow();
      Execution e =
          new Execution(
              services,
              lease,
              clock.instant(),
              task -> go.await(), // returns as the cancel starts
              ignored -> {});
      CompletableFuture<Boolean> worker =
          CompletableFuture.supplyAsync(
              () -> {
                e.execute(() -> {}, ok -> {});
                await(done); // the cancel has returned: any interrupt of it has landed
                return Thread.interrupted();
              });
      await(go);
      e.cancel(broker);
      await(done);
      if (worker.get(10, TimeUnit.SECONDS)) {
        leaked++;
      }
      if (e.state() == Execution.State.AWAITING_ACK) {
        fake.ack(lease);
      }
    }
    assertThat(leaked).as("interrupts that reached the thread after its task").isZero();
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
