package dev.dq.cron;

import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.schedule.FireOutcome;
import dev.dq.core.schedule.Misfire;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleState;
import dev.dq.core.schedule.Schedules;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler loop that every {@code dq run} runs for the queues it serves: no leader, any number
 * at once. It reads the schedules from the broker, sleeps until the earliest next tick on the
 * broker's clock, and fires due ticks with {@link Schedules#fire}, whose compare-and-set makes one
 * scheduler win each tick; the losers hear {@link FireOutcome#STALE} and stay silent.
 *
 * <p><b>Late ticks.</b> A tick due for longer than {@code grace} (every scheduler was down, or the
 * queue was full) follows its schedule's {@link Misfire} policy: {@code SKIP} records the late
 * ticks as missed and goes on with the first tick within the grace; {@code ONCE} fires the oldest
 * late tick once and moves on to the next future tick; {@code ALL} fires every late tick, at most
 * {@link Schedules#MAX_CATCH_UP} (older ones are recorded as missed).
 *
 * <p><b>Crashes.</b> Each step is one atomic broker call, so a scheduler killed at any point leaves
 * either the tick due (another scheduler fires it) or fired and advanced. Time is only ever the
 * broker's ({@link Schedules#now}), so a wrong local clock changes nothing but how long a scheduler
 * sleeps.
 */
public final class CronScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CronScheduler.class);

  /** Longest sleep between two reads of the schedules, so new ones are picked up soon. */
  public static final Duration DEFAULT_POLL = Duration.ofSeconds(1);

  /** How late a tick may be and still fire as usual. */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

  /** Most ticks one {@code ALL} catch-up walks over to find the ones it fires. */
  private static final int MAX_WALK = 1_000_000;

  private final Schedules schedules;
  private final List<String> queues;
  private final Duration grace;
  private final Duration poll;
  private final CronListener listener;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile Thread thread;
  private long lastErrorLogNanos;

  /**
   * A scheduler, not started.
   *
   * @param schedules where the schedules are
   * @param queues the queues whose schedules it fires
   * @param grace how late a tick may be and still fire as usual; later ones follow the misfire
   *     policy
   * @param poll longest sleep between reads of the schedules
   * @param listener hears each step's outcome
   * @throws IllegalArgumentException {@code grace} is negative or {@code poll} not positive
   */
  public CronScheduler(
      Schedules schedules,
      List<String> queues,
      Duration grace,
      Duration poll,
      CronListener listener) {
    this.schedules = Objects.requireNonNull(schedules, "schedules");
    this.queues = List.copyOf(queues);
    this.grace = Objects.requireNonNull(grace, "grace");
    this.poll = Objects.requireNonNull(poll, "poll");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (grace.isNegative()) {
      throw new IllegalArgumentException("grace must be >= 0: " + grace);
    }
    if (poll.isZero() || poll.isNegative()) {
      throw new IllegalArgumentException("poll must be > 0: " + poll);
    }
  }

  /**
   * Starts the loop on a daemon thread {@code dq-cron}.
   *
   * @return this
   * @throws IllegalStateException started already
   */
  public CronScheduler start() {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("cron scheduler started already");
    }
    Thread t = new Thread(this::loop, "dq-cron");
    t.setDaemon(true);
    thread = t;
    t.start();
    log.info("cron scheduler started for queues {}", queues);
    return this;
  }

  private void loop() {
    while (running.get()) {
      Duration sleep;
      try {
        sleep = runOnce();
      } catch (BrokerClosedException e) {
        return;
      } catch (RuntimeException e) {
        logError(e);
        sleep = poll;
      }
      try {
        Thread.sleep(Math.max(1, sleep.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * One pass over every schedule of the served queues: fires what is due, applies misfire policies
   * to what is late.
   *
   * @return how long to sleep before the next pass: until the earliest next tick, at most the poll
   *     interval
   */
  public Duration runOnce() {
    Instant wake = null;
    for (String queue : queues) {
      for (ScheduleState state : schedules.list(queue)) {
        if (state.paused()) {
          continue;
        }
        Instant next = advance(state);
        if (wake == null || next.isBefore(wake)) {
          wake = next;
        }
      }
    }
    Instant now = schedules.now();
    if (wake == null) {
      return poll;
    }
    Duration until = Duration.between(now, wake);
    if (until.isNegative()) {
      return Duration.ofMillis(1);
    }
    Duration sleep = until.plusMillis(1); // past the tick, so the next pass finds it due
    return sleep.compareTo(poll) > 0 ? poll : sleep;
  }

  /**
   * Steps one schedule until its next tick is in the future or another scheduler took over.
   *
   * @return when it is due next
   */
  private Instant advance(ScheduleState state) {
    Schedule schedule = state.schedule();
    Ticks ticks;
    try {
      ticks = Ticks.of(schedule);
    } catch (IllegalArgumentException e) {
      logError(e);
      return schedules.now().plus(poll);
    }
    Instant tick = state.nextTick();
    for (int steps = 0; steps < Schedules.MAX_CATCH_UP + 2; steps++) {
      Instant now = schedules.now();
      if (tick.isAfter(now)) {
        return tick;
      }
      boolean late = Duration.between(tick, now).compareTo(grace) > 0;
      FireOutcome outcome;
      Instant next;
      if (!late) {
        next = ticks.nextAfter(tick);
        outcome = schedules.fire(schedule, tick, next);
      } else if (schedule.misfire() == Misfire.SKIP) {
        next = ticks.nextAfter(now.minus(grace));
        outcome = schedules.miss(schedule, tick, next);
      } else if (schedule.misfire() == Misfire.ONCE) {
        next = ticks.nextAfter(now);
        outcome = schedules.fire(schedule, tick, next);
      } else {
        Instant oldestKept = oldestToCatchUp(ticks, tick, now);
        if (oldestKept.isAfter(tick)) {
          next = oldestKept;
          outcome = schedules.miss(schedule, tick, next);
        } else {
          next = ticks.nextAfter(tick);
          outcome = schedules.fire(schedule, tick, next);
        }
      }
      listener.onStep(schedule, tick, outcome, Duration.between(tick, now));
      if (outcome == FireOutcome.FULL) {
        log.debug("schedule {}: queue {} full at tick {}", schedule.name(), schedule.queue(), tick);
        return now.plus(poll);
      }
      if (!outcome.advanced()) {
        return now.plus(poll); // stale or early: re-read on the next pass
      }
      if (outcome == FireOutcome.FIRED) {
        log.debug("schedule {} fired tick {}", schedule.name(), tick);
      }
      tick = next;
    }
    return tick;
  }

  /**
   * The oldest of the last {@link Schedules#MAX_CATCH_UP} ticks not after {@code now}, starting
   * from {@code from}: {@code from} itself when there are no more than that.
   */
  private static Instant oldestToCatchUp(Ticks ticks, Instant from, Instant now) {
    ArrayDeque<Instant> last = new ArrayDeque<>(Schedules.MAX_CATCH_UP + 1);
    Instant t = from;
    for (int i = 0; i < MAX_WALK && !t.isAfter(now); i++) {
      last.addLast(t);
      if (last.size() > Schedules.MAX_CATCH_UP) {
        last.removeFirst();
      }
      t = ticks.nextAfter(t);
    }
    return last.isEmpty() ? from : last.getFirst();
  }

  private void logError(RuntimeException e) {
    long now = System.nanoTime();
    if (now - lastErrorLogNanos > Duration.ofSeconds(30).toNanos() || lastErrorLogNanos == 0) {
      lastErrorLogNanos = now;
      log.warn("cron scheduler: {} (retrying; logged at most every 30s)", e.toString());
    } else {
      log.debug("cron scheduler: {}", e.toString());
    }
  }

  /** Stops the loop and waits up to 5 seconds for it; idempotent. */
  @Override
  public void close() {
    if (!running.compareAndSet(true, false)) {
      return;
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    log.info("cron scheduler stopped");
  }
}
