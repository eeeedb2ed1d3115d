package dev.dq.chaos.harness;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.RedisKeys;
import dev.dq.chaos.ProducerMain;
import dev.dq.chaos.ledger.FaultWindow;
import dev.dq.chaos.ledger.Ledger;
import dev.dq.chaos.ledger.Timeline;
import dev.dq.chaos.ledger.Timeline.Phases;
import dev.dq.chaos.ledger.Verdict;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.QueueStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import redis.clients.jedis.Jedis;

/** Runs one scenario from a fresh Redis to its verdict. */
public final class Harness {
  private static final Duration PRODUCER_BOUND = Duration.ofSeconds(60);
  private static final Duration DRAIN_BOUND = Duration.ofSeconds(90);
  private static final int DEAD_LIST_LIMIT = 100_000;

  private final Options options;
  private final Consumer<String> progress;

  /**
   * @param options sizes and paths
   * @param progress receives one line per step, for the operator
   */
  public Harness(Options options, Consumer<String> progress) {
    this.options = options;
    this.progress = progress;
  }

  /**
   * Runs the scenario.
   *
   * @param scenario what to run
   * @param seed seeds its fault choice and timing
   * @return what it measured
   * @throws InterruptedException if interrupted
   */
  public ScenarioResult run(Scenario scenario, long seed) throws InterruptedException {
    SplittableRandom random = new SplittableRandom(seed);
    List<FaultWindow> faults = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Path dir = freshDirectory(scenario.name());
    progress.accept(scenario.name() + ": starting redis and " + options.workers() + " workers");
    try (Rig rig =
        Rig.start(options, dir, scenario.persistence(), scenario.topology(), scenario.proxied())) {
      rig.startProducers(PRODUCER_BOUND.plus(scenario.load()));
      long loadStart = System.currentTimeMillis();
      Thread.sleep(scenario.warmUp().toMillis());
      long faultStart = System.currentTimeMillis();
      long phaseEnd = faultStart + scenario.faultPhase().toMillis();
      while (!scenario.faults().isEmpty()
          && (System.currentTimeMillis() < phaseEnd || faults.size() < scenario.minFaults())) {
        Fault fault = scenario.faults().get(random.nextInt(scenario.faults().size()));
        FaultWindow window = fault.inject(rig, random);
        faults.add(window);
        progress.accept(scenario.name() + ": " + window.name());
        if (!window.effective()) {
          problems.add("a fault had no effect: " + window.name());
        }
        long gap =
            scenario.minGap().toMillis()
                + random.nextLong(scenario.maxGap().toMillis() - scenario.minGap().toMillis() + 1);
        Thread.sleep(Math.max(0, Math.min(gap, phaseEnd - System.currentTimeMillis())));
      }
      // the load goes on for the cool-down after the last fault, however long the faults took
      long faultEnd = System.currentTimeMillis();
      Thread.sleep(scenario.coolDown().toMillis());
      long loadEnd = System.currentTimeMillis();
      rig.stopProducers(PRODUCER_BOUND).forEach(p -> problems.add("producer " + p));
      rig.heal();
      progress.accept(scenario.name() + ": load over, draining");
      if (!drained(rig)) {
        problems.add("the queue did not drain within " + DRAIN_BOUND.toSeconds() + " s");
      }
      rig.stopWorkers(Duration.ofSeconds(15));
      problems.addAll(rig.problems());
      Leftovers left = leftovers(rig);
      Ledger ledger = Ledger.read(rig.ledgerDir());
      Verdict verdict = Verdict.of(ledger, left.dead(), left.residue());
      Timeline timeline =
          Timeline.of(ledger, faults, new Phases(loadStart, faultStart, faultEnd, loadEnd));
      return new ScenarioResult(scenario, verdict, timeline, faults, problems);
    }
  }

  /**
   * A new directory for one run of a scenario: a run never reads another run's ledger or replays
   * its AOF, even with the same {@code --dir}.
   */
  private Path freshDirectory(String scenario) {
    try {
      Files.createDirectories(options.dir());
      return Files.createTempDirectory(options.dir(), scenario + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory in " + options.dir(), e);
    }
  }

  /** Polls until nothing is ready, delayed or leased twice in a row. */
  private boolean drained(Rig rig) throws InterruptedException {
    long deadline = System.nanoTime() + DRAIN_BOUND.toNanos();
    int empty = 0;
    try (RedisBroker broker = inspector(rig)) {
      while (System.nanoTime() < deadline) {
        QueueStats s = broker.stats(ProducerMain.QUEUE);
        empty = s.ready() + s.delayed() + s.inFlight() == 0 ? empty + 1 : 0;
        if (empty >= 2) {
          return true;
        }
        Thread.sleep(250);
      }
    }
    return false;
  }

  /**
   * Dead letters, and everything else still in the broker: tasks ready, delayed or leased, plus
   * task data (fields of the queue's {@code tasks} hash) that is not a dead letter's (after a drain
   * nothing else may hold any).
   */
  private Leftovers leftovers(Rig rig) {
    try (RedisBroker broker = inspector(rig)) {
      QueueStats s = broker.stats(ProducerMain.QUEUE);
      Set<String> dead = new HashSet<>();
      for (DeadLetter d : broker.deadLetterQueue().list(ProducerMain.QUEUE, 0, DEAD_LIST_LIMIT)) {
        dead.add(d.task().id().value());
      }
      Set<String> orphans = new HashSet<>();
      try (Jedis j = rig.redis().admin()) {
        orphans.addAll(j.hkeys(RedisKeys.of(ProducerMain.QUEUE).tasks()));
      }
      orphans.removeAll(dead);
      return new Leftovers(dead, s.ready() + s.delayed() + s.inFlight() + orphans.size());
    }
  }

  private static RedisBroker inspector(Rig rig) {
    return RedisBroker.connect(RedisBrokerConfig.builder(rig.directUrl()).build());
  }

  private record Leftovers(Set<String> dead, long residue) {}
}
