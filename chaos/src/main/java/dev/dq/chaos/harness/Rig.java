package dev.dq.chaos.harness;

import dev.dq.adapter.redis.RedisKeys;
import dev.dq.chaos.ChaosHandler;
import dev.dq.chaos.ProducerMain;
import dev.dq.chaos.process.JvmProcess;
import dev.dq.chaos.process.Persistence;
import dev.dq.chaos.process.RedisCluster;
import dev.dq.chaos.process.RedisServer;
import dev.dq.chaos.process.RedisTopology;
import dev.dq.chaos.process.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
  private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

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
   */
  public static Rig start(
      Options options, Path dir, Persistence persistence, Topology topology, boolean proxied) {
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
      java.nio.file.Files.createDirectories(rig.ledgerDir());
      for (int i = 1; i <= options.workers(); i++) {
        rig.workers.add(rig.startWorker("worker-" + i));
      }
      rig.workers.forEach(rig::awaitReady);
    } catch (java.io.IOException e) {
      rig.close();
      throw new java.io.UncheckedIOException(e);
    } catch (RuntimeException e) {
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
   * Starts the producers and waits until each produces; each runs for {@code length} and then
   * exits.
   *
   * @param length how long they produce
   */
  public void startProducers(Duration length) {
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
                  Long.toString(length.toSeconds()),
                  Integer.toString(options.maxWorkMillis()),
                  Long.toString(options.seed() * 31 + i)),
              Map.of(),
              dir));
    }
    producers.forEach(p -> p.awaitOutput(ProducerMain.READY, START_BOUND));
  }

  /**
   * Waits for every producer to exit.
   *
   * @param bound longest wait for each
   * @return producers that did not exit 0
   */
  public List<String> awaitProducers(Duration bound) {
    List<String> failed = new ArrayList<>();
    for (JvmProcess p : producers) {
      var code = p.await(bound);
      if (code.isEmpty() || code.getAsInt() != 0) {
        failed.add(
            p.name() + (code.isEmpty() ? " (still running)" : " (exit " + code.getAsInt() + ")"));
        p.close();
      }
    }
    return failed;
  }

  /** Restarts every worker that was killed and waits until each serves again. */
  public void heal() {
    links.heal();
    for (JvmProcess w : workers) {
      if (!w.alive()) {
        w.restart();
      }
    }
    workers.forEach(this::awaitReady);
  }

  /**
   * A random worker, once every worker's pool runs: a worker killed by an earlier fault has started
   * again, so one fault at a time takes a worker away and the others keep serving.
   *
   * @param random picks it
   * @return the worker
   */
  public JvmProcess pickReadyWorker(java.util.SplittableRandom random) {
    workers.forEach(this::awaitReady);
    return workers.get(random.nextInt(workers.size()));
  }

  /**
   * Waits until the worker's pool runs. A worker that exits during start-up is a finding, not the
   * end of the run: it is recorded as a problem (which fails the scenario) and started again, as a
   * supervisor would.
   */
  private void awaitReady(JvmProcess worker) {
    for (int attempt = 1; ; attempt++) {
      try {
        worker.awaitOutput(WORKER_READY, START_BOUND);
        return;
      } catch (IllegalStateException e) {
        if (worker.alive() || attempt == START_ATTEMPTS) {
          throw e;
        }
        problems.add(e.getMessage());
        worker.restart();
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
   * Stops the workers gracefully.
   *
   * @param grace how long each may take
   */
  public void stopWorkers(Duration grace) {
    workers.forEach(w -> w.terminate(grace));
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
   * The worker processes.
   *
   * @return the workers
   */
  public List<JvmProcess> workers() {
    return workers;
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

  @Override
  public void close() {
    producers.forEach(JvmProcess::close);
    workers.forEach(JvmProcess::close);
    links.close();
    redis.close();
  }
}
