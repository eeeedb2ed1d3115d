package dev.dq.core.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.TaskRetention;
import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.port.Broker;
import dev.dq.testing.ForwardingBroker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool's periodic retention trim, on a broker that scripts what each trim call removes. */
final class WorkerPoolTrimTest {
  private final PoolHarness h = PoolHarness.onFakeTime();
  private WorkerPool second;

  @AfterEach
  void tearDown() {
    if (second != null) {
      second.stop(java.time.Duration.ZERO);
    }
    h.close();
  }

  /** Answers each queue's trim calls from a script, then {@link Trimmed#NONE}. */
  private static final class RetainingBroker extends ForwardingBroker implements TaskRetention {
    final Map<String, Deque<Trimmed>> script = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<String> queues;

    RetainingBroker(Broker delegate, List<String> queues) {
      super(delegate);
      this.queues = queues;
    }

    @Override
    public List<String> queues() {
      return queues;
    }

    @Override
    public Retention retentionOf(String queue) {
      return Retention.DEFAULT;
    }

    @Override
    public void setRetention(String queue, Retention retention) {}

    @Override
    public synchronized Trimmed trim(String queue) {
      calls.add(queue);
      Deque<Trimmed> next = script.getOrDefault(queue, new ArrayDeque<>());
      return next.isEmpty() ? Trimmed.NONE : next.poll();
    }
  }

  @Test
  void everyQueue_trimmedEveryInterval_untilACallRemovesNothing_reportedPerQueue() {
    RetainingBroker broker = new RetainingBroker(h.hooked, List.of("idle", "busy"));
    broker.script.put("busy", new ArrayDeque<>(List.of(new Trimmed(500, 0), new Trimmed(20, 3))));
    h.start(broker, c -> c.workers(1), b -> {});

    h.scheduler.advance(Trimmer.INTERVAL.minusMillis(1));
    assertThat(broker.calls).isEmpty();
    h.scheduler.advance(java.time.Duration.ofMillis(1));

    assertThat(broker.calls).containsExactly("idle", "busy", "busy", "busy");
    assertThat(h.events.trims).containsExactly(Map.entry("busy", new Trimmed(520, 3)));

    h.scheduler.advance(Trimmer.INTERVAL);
    assertThat(broker.calls).hasSize(6);
  }

  @Test
  void secondPoolOnTheSameBroker_doesNotTrim_untilTheFirstStops() {
    RetainingBroker broker = new RetainingBroker(h.hooked, List.of("q"));
    h.start(broker, c -> c.workers(1), b -> {});
    second =
        WorkerPool.builder(broker)
            .config(WorkerPoolConfig.builder().workers(1).build())
            .clock(h.clock)
            .scheduler(h.scheduler)
            .build();
    second.start();

    h.scheduler.advance(Trimmer.INTERVAL);

    assertThat(broker.calls).containsExactly("q");
  }

  @Test
  void firstPoolStops_theSecondTakesOverTrimming() {
    RetainingBroker broker = new RetainingBroker(h.hooked, List.of("q"));
    WorkerPool first = h.start(broker, c -> c.workers(1), b -> {});
    second =
        WorkerPool.builder(broker)
            .config(WorkerPoolConfig.builder().workers(1).build())
            .clock(h.clock)
            .scheduler(h.scheduler)
            .build();
    second.start();
    h.scheduler.advance(Trimmer.INTERVAL);
    assertThat(broker.calls).containsExactly("q");

    assertThat(first.stop(java.time.Duration.ZERO)).isTrue();
    h.scheduler.advance(Trimmer.INTERVAL);

    assertThat(broker.calls).containsExactly("q", "q");
  }
}
