package dev.dq.app.demo;

import dev.dq.app.lifecycle.Lifecycle;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.QueueStats;
import dev.dq.core.task.Task;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.WorkerPool;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dq demo}: publishes tasks, lets the pool work through them with retries and dead letters,
 * and prints a summary when every task has succeeded or is dead, or when a signal asks it to stop.
 */
public final class Demo {
  /** The task types the demo publishes, one {@link SimulatedWork} handler each. */
  public static final List<String> TYPES = List.of("email", "resize");

  private static final Logger log = LoggerFactory.getLogger(Demo.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration PUBLISH_TIMEOUT = Duration.ofMillis(100);

  /** Beyond the pool's grace: time for the broker to close and the summary to print. */
  private static final Duration HOOK_SLACK = Duration.ofSeconds(3);

  private final DemoSettings settings;
  private final PrintStream out;
  private final Broker broker;
  private final DeadLetterQueue deadLetters;
  private final WorkerPool pool;
  private final Producer producer;
  private final DemoStats stats;
  private final InstantSource clock;
  private final Lifecycle lifecycle;
  private final String runPrefix =
      "demo-"
          + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1L << 40), 36)
          + "-";

  private Demo(DemoSession session, DemoSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
    this.broker = session.broker();
    this.deadLetters = session.deadLetters();
    this.pool = session.pool();
    this.producer = session.producer();
    this.stats = session.stats();
    this.clock = session.clock();
    Duration grace = settings.pool().grace();
    this.lifecycle =
        new Lifecycle(
            List.of(
                new Lifecycle.Service("broker", () -> {}, broker::close),
                new Lifecycle.Service("worker pool", pool::start, () -> stopPool(grace))),
            grace.plus(HOOK_SLACK));
  }

  /**
   * Runs the demo on the objects wiring built for it, to the end (or to a stop signal); returns the
   * exit code.
   */
  public static int run(DemoSession session, DemoSettings settings, PrintStream out) {
    return new Demo(session, settings, out).run();
  }

  private int run() {
    log.info(
        "demo: {} tasks, {} workers, {} attempts, broker {}, seed {}",
        settings.tasks(),
        settings.pool().workers(),
        settings.pool().maxAttempts(),
        broker.getClass().getSimpleName(),
        settings.seed());
    Instant start = clock.instant();
    boolean interrupted = false;
    lifecycle.start();
    try {
      publishAll();
      awaitAllFinished();
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      lifecycle.stopAll();
      printSummary(Duration.between(start, clock.instant()));
      lifecycle.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return lifecycle.stopRequested() || interrupted ? 130 : 0;
  }

  /** Publishes with short timeouts so that a full queue never keeps a stop request waiting. */
  private void publishAll() throws InterruptedException {
    for (int i = 1; i <= settings.tasks() && !lifecycle.stopRequested(); i++) {
      Task task = task(i);
      while (!lifecycle.stopRequested()) {
        try {
          producer.publish(task, PUBLISH_TIMEOUT);
          break;
        } catch (QueueFullException e) {
          log.debug("queue full, retrying task {}", task.id());
        }
      }
    }
  }

  private Task task(int n) {
    String type = TYPES.get((n - 1) % TYPES.size());
    String payload = type.equals("email") ? "user" + n + "@example.com" : "image-" + n + ".png";
    // The id is unique per run, so that runs on a shared broker never collide with an earlier run's
    // tasks or dead
    // letters; the outcome follows the sequence number, so a seed still reproduces a run.
    return Task.builder(type)
        .id(runPrefix + n)
        .header(SimulatedWork.SEQUENCE_HEADER, "demo-" + n)
        .payload(payload)
        .createdAt(clock.instant())
        .build();
  }

  /** Done when the broker holds nothing and the events account for every published task. */
  private void awaitAllFinished() throws InterruptedException {
    while (!lifecycle.awaitStopRequest(POLL)) {
      QueueStats q = broker.stats(Task.DEFAULT_QUEUE);
      if (q.ready() + q.inFlight() + q.delayed() == 0 && stats.finished() == stats.enqueued()) {
        return;
      }
    }
  }

  private void stopPool(Duration grace) {
    if (!pool.stop(grace)) {
      log.warn("worker pool did not finish within {}; unfinished tasks were released", grace);
    }
  }

  private void printSummary(Duration elapsed) {
    int all = (int) Math.min(deadLetters.size(Task.DEFAULT_QUEUE), 1_000_000);
    List<DeadLetter> dead =
        deadLetters.list(Task.DEFAULT_QUEUE, 0, Math.max(1, all)).stream()
            .filter(d -> d.task().id().value().startsWith(runPrefix))
            .toList();
    long unfinished = stats.enqueued() - stats.finished();
    out.println("dq demo summary");
    out.printf(Locale.ROOT, "  published      %d of %d%n", stats.enqueued(), settings.tasks());
    out.printf(Locale.ROOT, "  succeeded      %d%n", stats.succeeded());
    out.printf(Locale.ROOT, "  retried        %d%n", stats.retried());
    out.printf(Locale.ROOT, "  dead-lettered  %d%n", stats.deadLettered());
    if (unfinished > 0 || lifecycle.stopRequested()) {
      out.printf(Locale.ROOT, "  unfinished     %d (stopped early)%n", unfinished);
    }
    out.printf(Locale.ROOT, "  elapsed        %.3f s%n", elapsed.toNanos() / 1e9);
    out.printf(Locale.ROOT, "  seed           %d%n", settings.seed());
    out.printf(Locale.ROOT, "dead-letter queue (%d)%n", dead.size());
    for (DeadLetter d : dead) {
      out.printf(
          Locale.ROOT,
          "  %s  %s  attempts=%d  %s: %s%n",
          d.task().id(),
          d.task().type(),
          d.failure().attempts(),
          d.failure().errorType(),
          d.failure().message());
    }
    out.flush();
  }
}
