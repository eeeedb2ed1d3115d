package dev.dq.adapter.redis;

import dev.dq.core.worker.TaskEvent;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A worker process for {@link WorkerCrashIT}: the real {@link WorkerPool}, with its default lease
 * time and reap interval, on {@code threads} workers whose handler "works" 5-50 ms, until killed.
 * Prints {@code TAKE <id>} when a handler starts, {@code DONE <id>} when it returns (before the
 * pool acks) and {@code ACK <id>} once the ack succeeded, so the test can tell what was in flight
 * at the kill.
 */
public final class CrashingWorkerMain {
  private CrashingWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int threads = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(System.out, true);
    RedisBroker broker = RedisBroker.connect(RedisBrokerConfig.builder(url).build());
    WorkerPool pool =
        WorkerPool.builder(broker)
            .config(WorkerPoolConfig.builder().workers(threads).build())
            .handler(
                WorkerCrashIT.TYPE,
                task -> {
                  String id = task.id().value();
                  out.println("TAKE " + id);
                  Thread.sleep(ThreadLocalRandom.current().nextLong(5, 51));
                  out.println("DONE " + id);
                })
            .listener(
                event -> {
                  if (event instanceof TaskEvent.Succeeded s) {
                    out.println("ACK " + s.task().id().value());
                  }
                })
            .build();
    pool.start();
    out.println("READY");
    new CountDownLatch(1).await(); // the pool's threads are daemons; live until killed
  }
}
