package dev.dq.chaos.harness;

import dev.dq.adapter.redis.RedisKeys;
import dev.dq.chaos.ChaosHandler;
import dev.dq.chaos.ProducerMain;
import dev.dq.chaos.process.JvmProcess;
import dev.dq.chaos.process.Persistence;
import dev.dq.chaos.process.ProcessExitedException;
import dev.dq.chaos.process.RedisCluster;
import dev.dq.chaos.process.RedisServer;
import dev.dq.chaos.process.RedisTopology;
import dev.dq.chaos.process.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What one scenario runs on: a Redis, the {@code dq run} workers and the producers, each client
 * process connected through its own {@link Links link} so network faults can hit one process or
 * all.
 */
public final class Rig implements AutoCloseable {
  private static final Duration START_BOUND = Duration.ofSeconds(60);

  /** What {@code dq run} logs once its pool takes tasks. */
  private static final String WORKER_READY = "worker pool started";

  /** Starts of one worker before the harness gives up on it. */
  private static final int START_ATTEMPTS = 3;

  private final Options options;
  private final Path dir;

  /** A key of the chaos queue; all its keys share one hash tag, so one slot. */
  private static final String QUEUE_KEY = RedisKeys.of(ProducerMain.QUEUE).ready();

  private final RedisTopology redis;
  private final Links links;
  private final List<JvmProcess> workers = new ArrayList<>();
  private final List<JvmProcess> producers = new ArrayList<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  private Rig(Options options, Path dir, RedisTopology redis, Links links) {
    this.options = options;
    this.dir = dir;
    this.redis = redis;
    this.links = links;
  }

  /**
   * Starts Redis and the workers, and waits until every worker's pool runs.
   *
   * @param options sizes
   * @param dir the scenario's directory
   * @param persistence Redis's AOF policy
   * @param topology one server or a cluster
   * @param proxied whether clients connect through fault proxies (one server only)
   * @return the running rig, without producers yet
   * @throws InterruptedException if interrupted while the workers start
   */
  public static Rig start(
      Options options, Path dir, Persistence persistence, Topology topology, boolean proxied)
      throws InterruptedException {
    RedisTopology redis = topology.start(options.redisServer(), dir.resolve("redis"), persistence);
    Links links;
    try {
      links = Links.create(redis, proxied);
    } catch (RuntimeException e) {
      redis.close();
      throw e;
    }
    Rig rig = new Rig(options, dir, redis, links);
    try {
      Files.createDirectories(rig.ledgerDir());
      for (int i = 1; i <= options.workers(); i++) {
        rig.workers.add(rig.startWorker("worker-" + i));
      }
      rig.awaitAllReady();
    } catch (IOException e) {
      rig.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | InterruptedException e) {
      rig.close();
      throw e;
    }
    return rig;
  }

  private JvmProcess startWorker(String name) {
    return JvmProcess.start(
        name,
        options.classpath(),
        "dev.dq.app.Main",
        List.of(
            "--broker",
            "redis",
            "--redis-url",
            links.url(name),
            "run",
            "--queue",
            ProducerMain.QUEUE,
            "--workers",
            Integer.toString(options.threads()),
            "--lease-time",
            options.leaseTime().toMillis() + "ms",
            "--max-attempts",
            "10",
            "--grace",
            "5s",
            "--metrics-port",
            "0"),
        Map.of(ChaosHandler.LEDGER_ENV, ledgerDir().toString()),
        dir);
  }

  /**
   * Starts the producers and waits until each produces. They produce until {@link #stopProducers()}
   * (or a safety bound of {@code bound}).
   *
   * @param bound the longest a producer runs whatever happens
   * @throws InterruptedException if interrupted while they start
   */
  public void startProducers(Duration bound) throws InterruptedException {
    for (int i = 1; i <= options.producers(); i++) {
      String name = "producer-" + i;
      producers.add(
          JvmProcess.start(
              name,
              options.classpath(),
              ProducerMain.class.getName(),
              List.of(
                  links.url(name),
                  ledgerDir().toString(),
                  "p" + i,
                  Integer.toString(options.rate()),
                  Long.toString(Math.max(1, bound.toSeconds())),
                  Integer.toString(options.maxWorkMillis()),
                  Long.toString(options.seed() * 31 + i),
                  stopFile().toString()),
              Map.of(),
              dir));
    }
    for (JvmProcess p : producers) {
      p.awaitOutput(ProducerMain.READY, START_BOUND);
    }
  }

  /**
   * Tells the producers to stop making tasks (they still resolve what they sent) and waits until
   * each has exited.
   *
   * @param bound longest wait for each
   * @return producers that did not exit 0
   * @throws InterruptedException if interrupted
   */
  public List<String> stopProducers(Duration bound) throws InterruptedException {
    try {
      Files.createFile(stopFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + stopFile(), e);
    }
    List<String> failed = new ArrayList<>();
    for (JvmProcess p : producers) {
      OptionalInt code = p.await(bound);
      if (code.isEmpty() || code.getAsInt() != 0) {
        failed.add(
            p.name() + (code.isEmpty() ? " (still running)" : " (exit " + code.getAsInt() + ")"));
        p.close();
      }
    }
    return failed;
  }

  private Path stopFile() {
    return dir.resolve("stop-producers");
  }

  /**
   * Kills a worker on purpose and starts a new one, without waiting for it to serve.
   *
   * @param worker a worker of this rig
   * @throws InterruptedException if interrupted
   */
  public void killAndRestart(JvmProcess worker) throws InterruptedException {
    worker.kill9();
    worker.restart();
  }

  /**
   * Restarts every worker that is not running, recording as a problem each one that the harness did
   * not kill, and waits until each serves again.
   *
   * @throws InterruptedException if interrupted
   */
  public void heal() throws InterruptedException {
    links.heal();
    awaitAllReady();
  }

  /**
   * Every worker, once each one's pool runs.
   *
   * @return the workers
   * @throws InterruptedException if interrupted
   */
  public List<JvmProcess> readyWorkers() throws InterruptedException {
    awaitAllReady();
    return List.copyOf(workers);
  }

  /**
   * A random worker, once every worker's pool runs: a worker killed by an earlier fault has started
   * again, so one fault at a time takes a worker away and the others keep serving.
   *
   * @param random picks it
   * @return the worker
   * @throws InterruptedException if interrupted
   */
  public JvmProcess pickReadyWorker(SplittableRandom random) throws InterruptedException {
    awaitAllReady();
    return workers.get(random.nextInt(workers.size()));
  }

  /**
   * Waits until every worker's pool runs. A worker that died without the harness killing it, or
   * exited while starting, is a finding, not the end of the run: it is recorded as a problem (which
   * fails the scenario) and started again, as a supervisor would.
   */
  private void awaitAllReady() throws InterruptedException {
    for (JvmProcess worker : workers) {
      for (int attempt = 1; ; attempt++) {
        if (!worker.alive()) {
          problems.add(
              worker.name() + " exited by itself with code " + worker.exitCode().orElse(-1));
          worker.restart();
        }
        try {
          worker.awaitOutput(WORKER_READY, START_BOUND);
          break;
        } catch (ProcessExitedException e) {
          if (attempt == START_ATTEMPTS) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * What went wrong with the processes themselves, e.g. a worker that exited while starting.
   *
   * @return the problems so far
   */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  /**
   * Stops the workers gracefully; one that exits non-zero or must be killed is a problem.
   *
   * @param grace how long each may take
   * @throws InterruptedException if interrupted
   */
  public void stopWorkers(Duration grace) throws InterruptedException {
    for (JvmProcess w : workers) {
      OptionalInt code = w.terminate(grace);
      if (code.isEmpty() || code.getAsInt() != 0) {
        problems.add(
            w.name()
                + (code.isEmpty()
                    ? " did not stop within " + grace.toSeconds() + " s of SIGTERM"
                    : " exited with code " + code.getAsInt() + " on SIGTERM"));
      }
    }
  }

  /**
   * The directory the ledger files go to.
   *
   * @return the ledger directory
   */
  public Path ledgerDir() {
    return dir.resolve("ledger");
  }

  /**
   * The Redis server that holds the chaos queue now: the one server, or the cluster primary of the
   * queue's slot.
   *
   * @return the server
   */
  public RedisServer redis() {
    return redis.holder(QUEUE_KEY);
  }

  /**
   * The cluster the scenario runs on.
   *
   * @return the cluster
   * @throws IllegalStateException if the scenario runs on one server
   */
  public RedisCluster cluster() {
    if (redis instanceof RedisCluster c) {
      return c;
    }
    throw new IllegalStateException("this scenario runs on one redis-server, not a cluster");
  }

  /**
   * A key of the chaos queue, to find the server that holds the queue.
   *
   * @return the key
   */
  public static String queueKey() {
    return QUEUE_KEY;
  }

  /**
   * The links of the client processes.
   *
   * @return the links
   */
  public Links links() {
    return links;
  }

  /**
   * A URL the harness itself uses to inspect Redis, never through a proxy.
   *
   * @return the URL
   */
  public String directUrl() {
    return redis.url();
  }

  /** Kills everything; each part is closed even if another one fails to. */
  @Override
  public void close() {
    producers.forEach(JvmProcess::close);
    workers.forEach(JvmProcess::close);
    try {
      links.close();
    } finally {
      redis.close();
    }
  }
}
