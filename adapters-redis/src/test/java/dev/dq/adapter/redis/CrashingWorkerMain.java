package dev.dq.adapter.redis;

import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A worker process for {@link WorkerCrashIT}: {@code threads} loops of dequeue, "work" 5-50 ms, ack, until killed.
 * Prints {@code TAKE <id>} after each dequeue and {@code DONE <id>} when the work is done, before the ack, so a kill
 * between the two makes a duplicate, never a task that looks lost.
 */
public final class CrashingWorkerMain {
  private CrashingWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int threads = Integer.parseInt(args[1]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[2]));
    PrintStream out = new PrintStream(System.out, true);
    RedisBroker broker = RedisBroker.connect(RedisBrokerConfig.builder(url).build());
    for (int i = 0; i < threads; i++) {
      new Thread(() -> work(broker, lease, out), "worker-" + i).start();
    }
    out.println("READY");
  }

  private static void work(RedisBroker broker, Duration lease, PrintStream out) {
    while (true) {
      try {
        Optional<Lease> l = broker.dequeue("default", lease, Duration.ofSeconds(1));
        if (l.isEmpty()) {
          continue;
        }
        String id = l.get().task().id().value();
        out.println("TAKE " + id);
        Thread.sleep(ThreadLocalRandom.current().nextLong(5, 51));
        out.println("DONE " + id);
        broker.ack(l.get());
      } catch (BrokerUnavailableException | LeaseLostException e) {
        // retried or redelivered
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
