package dev.dq.adapter.memory;

import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Overlap;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleEvent;
import dev.dq.core.schedule.ScheduleState;
import dev.dq.core.schedule.Schedules;
import dev.dq.core.schedule.UpsertOutcome;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link Schedules} of an {@link InMemoryBroker}, within one process. Every step runs under the
 * broker's one lock, so a fire's checks, its enqueue and its advance are one atomic step, as in
 * Redis. Time is the broker's injected clock.
 */
public final class InMemorySchedules implements Schedules {
  /** A stored schedule; mutable, guarded by the store's lock. */
  private static final class Entry {
    final Schedule schedule;
    Instant next;
    boolean paused;
    TaskId lastRun;
    final Deque<ScheduleEvent> log = new ArrayDeque<>();

    Entry(Schedule schedule, Instant next) {
      this.schedule = schedule;
      this.next = next;
    }

    ScheduleState state() {
      return new ScheduleState(schedule, next, paused);
    }
  }

  private final Store store;
  private final InMemoryBroker broker;
  private final Map<String, Map<String, Entry>> byQueue = new HashMap<>(); // guarded by store.lock

  InMemorySchedules(Store store, InMemoryBroker broker) {
    this.store = store;
    this.broker = broker;
  }

  @Override
  public Instant now() {
    return store.clock.instant();
  }

  @Override
  public UpsertOutcome upsert(Schedule schedule, Instant firstTick) {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(firstTick, "firstTick");
    return store.locked(
        () -> {
          Map<String, Entry> q = byQueue.computeIfAbsent(schedule.queue(), k -> new TreeMap<>());
          store.queue(schedule.queue()); // known to queues(), like a queue enqueued to
          Entry old = q.get(schedule.name());
          if (old != null && old.schedule.equals(schedule)) {
            return UpsertOutcome.UNCHANGED;
          }
          Entry e = new Entry(schedule, firstTick);
          if (old != null) {
            e.paused = old.paused;
            e.lastRun = old.lastRun;
            e.log.addAll(old.log);
          }
          q.put(schedule.name(), e);
          return old == null ? UpsertOutcome.CREATED : UpsertOutcome.UPDATED;
        });
  }

  @Override
  public boolean remove(String queue, String name) {
    return store.locked(() -> entries(queue).remove(name) != null);
  }

  @Override
  public Optional<ScheduleState> get(String queue, String name) {
    return store.locked(() -> Optional.ofNullable(entries(queue).get(name)).map(Entry::state));
  }

  @Override
  public List<ScheduleState> list(String queue) {
    return store.locked(() -> entries(queue).values().stream().map(Entry::state).toList());
  }

  @Override
  public boolean pause(String queue, String name) {
    return store.locked(
        () -> {
          Entry e = entries(queue).get(name);
          if (e == null) {
            return false;
          }
          e.paused = true;
          return true;
        });
  }

  @Override
  public boolean resume(String queue, String name, Instant nextTick) {
    Objects.requireNonNull(nextTick, "nextTick");
    return store.locked(
        () -> {
          Entry e = entries(queue).get(name);
          if (e == null) {
            return false;
          }
          if (e.paused) {
            e.paused = false;
            e.next = nextTick;
          }
          return true;
        });
  }

  @Override
  public List<ScheduleEvent> history(String queue, String name, int max) {
    return store.locked(
        () -> {
          Entry e = entries(queue).get(name);
          if (e == null) {
            return List.of();
          }
          List<ScheduleEvent> events = new ArrayList<>(e.log);
          return List.copyOf(events.subList(0, Math.min(Math.max(max, 0), events.size())));
        });
  }

  @Override
  public FireOutcome fire(Schedule schedule, Instant tick, Instant nextTick) {
    return step(schedule, tick, nextTick, true);
  }

  @Override
  public FireOutcome miss(Schedule schedule, Instant tick, Instant nextTick) {
    return step(schedule, tick, nextTick, false);
  }

  private FireOutcome step(Schedule schedule, Instant tick, Instant nextTick, boolean fire) {
    Objects.requireNonNull(schedule, "schedule");
    Schedules.checkOrder(tick, nextTick);
    return store.locked(
        () -> {
          store.ensureOpen();
          Entry e = entries(schedule.queue()).get(schedule.name());
          if (e == null || e.paused || !e.schedule.equals(schedule) || !e.next.equals(tick)) {
            return FireOutcome.STALE;
          }
          Instant now = store.clock.instant();
          if (now.isBefore(tick)) {
            return FireOutcome.EARLY;
          }
          TaskId id = schedule.taskId(tick);
          FireOutcome outcome;
          if (!fire) {
            outcome = FireOutcome.MISSED;
          } else if (schedule.overlap() == Overlap.SKIP && running(schedule.queue(), e.lastRun)) {
            outcome = FireOutcome.SKIPPED;
          } else {
            try {
              broker.enqueue(schedule.task(tick), Duration.ZERO);
              outcome = FireOutcome.FIRED;
              e.lastRun = id;
            } catch (DuplicateTaskException dup) {
              outcome = FireOutcome.DUPLICATE;
            } catch (QueueFullException full) {
              return FireOutcome.FULL;
            } catch (InterruptedException interrupted) {
              Thread.currentThread().interrupt(); // admit with no wait never waits; keep the flag
              return FireOutcome.FULL;
            }
          }
          e.next = nextTick;
          e.log.addFirst(new ScheduleEvent(tick, id.value(), outcome, now));
          while (e.log.size() > HISTORY_LIMIT) {
            e.log.removeLast();
          }
          return outcome;
        });
  }

  private boolean running(String queue, TaskId lastRun) {
    QueueState q = store.existing(queue);
    return lastRun != null && q != null && q.holdsLive(lastRun);
  }

  private Map<String, Entry> entries(String queue) {
    return byQueue.getOrDefault(queue, Map.of());
  }
}
