package dev.dq.app;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.task.TaskId;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * The waiting process of {@link ResultsIT}: one thread per id calls {@code await(queue, id,
 * timeout)} on its own {@link RedisBroker}, all at once, and prints {@code <id> <state|none>
 * <result as UTF-8|-> <ms waited> <worker|->} for each. Prints {@code WAITING} once every thread is
 * about to wait, {@code DONE} at the end. It looks up and awaits an unknown id once before, so the
 * times printed leave out the first connection, script load and class loading.
 *
 * <p>Arguments: redis url, queue, timeout ms, file of ids (one a line).
 */
public final class ResultWaiterMain {
  private ResultWaiterMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String queue = args[1];
    Duration timeout = Duration.ofMillis(Long.parseLong(args[2]));
    List<String> ids = Files.readAllLines(Path.of(args[3]), StandardCharsets.UTF_8);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (RedisBroker broker = RedisBroker.connect(RedisBrokerConfig.builder(url).build())) {
      // warm up before any wait is timed: the first connection, lookup.lua's load, the poller
      // thread and class loading are not part of a wait
      broker.find(queue, new TaskId("warm-up"));
      broker.await(queue, new TaskId("warm-up"), Duration.ofMillis(1));
      CountDownLatch ready = new CountDownLatch(ids.size());
      CountDownLatch done = new CountDownLatch(ids.size());
      for (String id : ids) {
        Thread t =
            new Thread(
                () -> {
                  ready.countDown();
                  long start = System.nanoTime();
                  String line;
                  try {
                    Optional<TaskInfo> info = broker.await(queue, new TaskId(id), timeout);
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    line =
                        id
                            + " "
                            + info.map(i -> i.state().wireName()).orElse("none")
                            + " "
                            + info.flatMap(TaskInfo::result).map(r -> r.asUtf8()).orElse("-")
                            + " "
                            + ms
                            + " "
                            + info.flatMap(TaskInfo::worker).orElse("-");
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    line = id + " interrupted - -1 -";
                  } catch (RuntimeException e) {
                    line = id + " error:" + e.getClass().getSimpleName() + " - -1 -";
                  }
                  synchronized (out) {
                    out.println(line);
                  }
                  done.countDown();
                },
                "await-" + id);
        t.setDaemon(true);
        t.start();
      }
      ready.await();
      out.println("WAITING");
      done.await();
      out.println("DONE");
    }
  }
}
