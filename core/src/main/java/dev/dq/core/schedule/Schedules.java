package dev.dq.core.schedule;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Periodic schedules kept in the broker, so that every process sees the same ones, and the one step
 * that turns a tick into a task. There is no leader: any number of schedulers may call {@link
 * #fire} for the same tick at once, and exactly one of them enqueues it.
 *
 * <p><b>Ticks.</b> A stored schedule has a <i>next tick</i>. The broker does no cron arithmetic:
 * callers compute ticks (the {@code dq-cron} module does) and pass the next one along with each
 * step. {@link #fire} is a compare-and-set on the next tick: it enqueues the tick's task <b>and</b>
 * moves the schedule to the given next tick in one atomic step, keyed by (schedule, tick), on the
 * broker's clock. A caller killed before the step changed nothing, so the tick is still due for
 * every other scheduler; a caller killed after it changed everything. The run's task id is {@link
 * Schedule#taskId} ({@code cron:<name>:<tick millis>}), so even a replayed step cannot enqueue a
 * tick twice while its task is held.
 *
 * <p><b>Clock.</b> Every "now" is the broker's ({@link #now}; Redis server time): a scheduler whose
 * own clock is wrong can compute a tick too early, but {@link #fire} refuses it as {@link
 * FireOutcome#EARLY}.
 *
 * <p><b>Identity.</b> A schedule is known by (queue, name). {@link #upsert} of a schedule equal to
 * the stored one changes nothing, next tick included, so every process may upsert its schedules at
 * boot.
 *
 * <p><b>Errors.</b> As the {@link dev.dq.core.port.Broker}'s: {@link
 * dev.dq.core.port.BrokerUnavailableException} when the store cannot be reached (a {@code fire}
 * whose reply was lost may or may not have been applied; calling it again answers {@link
 * FireOutcome#STALE} or {@link FireOutcome#DUPLICATE} if it was).
 *
 * <p>Thread-safe; the Redis implementation is safe across processes.
 */
public interface Schedules {

  /** Most entries {@link #history} keeps per schedule; older ones are dropped. */
  int HISTORY_LIMIT = 100;

  /** Most late ticks that {@link Misfire#ALL} fires after a downtime. */
  int MAX_CATCH_UP = 100;

  /**
   * The broker's "now", the clock that {@link #fire} checks ticks against.
   *
   * @return now on the broker's clock
   */
  Instant now();

  /**
   * Stores a schedule. If one of that name is stored with equal fields, nothing changes (its next
   * tick and paused flag included). If a different one is stored, it is replaced, its next tick set
   * to {@code firstTick}, its paused flag kept. Atomic: concurrent upserts of one spec create it
   * once and leave one next tick.
   *
   * @param schedule the schedule
   * @param firstTick its first tick, computed by the caller after {@link #now}
   * @return what was done
   */
  UpsertOutcome upsert(Schedule schedule, Instant firstTick);

  /**
   * Removes a schedule and its history. Runs already enqueued stay.
   *
   * @param queue the schedule's queue
   * @param name its name
   * @return false if there was none
   */
  boolean remove(String queue, String name);

  /**
   * One schedule.
   *
   * @param queue its queue
   * @param name its name
   * @return the schedule with its state, or empty
   */
  Optional<ScheduleState> get(String queue, String name);

  /**
   * Every schedule of a queue, by name.
   *
   * @param queue the queue
   * @return the schedules, maybe none
   */
  List<ScheduleState> list(String queue);

  /**
   * Pauses a schedule: {@link #fire} answers {@link FireOutcome#STALE} for it until {@link
   * #resume}.
   *
   * @param queue its queue
   * @param name its name
   * @return false if there is no such schedule
   */
  boolean pause(String queue, String name);

  /**
   * Resumes a paused schedule at {@code nextTick}: ticks that passed while it was paused are not
   * fired. Resuming a schedule that is not paused changes nothing.
   *
   * @param queue its queue
   * @param name its name
   * @param nextTick its next tick, computed by the caller after {@link #now}
   * @return false if there is no such schedule
   */
  boolean resume(String queue, String name, Instant nextTick);

  /**
   * What became of a schedule's latest ticks, newest first; at most {@link #HISTORY_LIMIT} are
   * kept.
   *
   * @param queue its queue
   * @param name its name
   * @param max most entries to return
   * @return the entries, maybe none
   */
  List<ScheduleEvent> history(String queue, String name, int max);

  /**
   * Fires tick {@code tick} of {@code schedule}, atomically: if the stored schedule equals {@code
   * schedule}, is not paused, its next tick is {@code tick} and the broker's now is not before
   * {@code tick}, it enqueues {@link Schedule#task(Instant)} as {@link
   * dev.dq.core.port.Broker#enqueue} would (ready at once) and moves the next tick to {@code
   * nextTick}, in one step. Otherwise it changes nothing and says why. Exactly one of any number of
   * concurrent calls for one tick answers {@link FireOutcome#FIRED}; the others {@link
   * FireOutcome#STALE}.
   *
   * @param schedule the schedule as the caller read it
   * @param tick the tick to fire, the schedule's next tick
   * @param nextTick the tick after it, later than {@code tick}
   * @return {@link FireOutcome#FIRED}; {@link FireOutcome#DUPLICATE} (advanced, the id was held);
   *     {@link FireOutcome#SKIPPED} (advanced, overlap skip); or, changing nothing, {@link
   *     FireOutcome#EARLY}, {@link FireOutcome#STALE} or {@link FireOutcome#FULL}
   * @throws IllegalArgumentException {@code nextTick} is not after {@code tick}
   */
  FireOutcome fire(Schedule schedule, Instant tick, Instant nextTick);

  /**
   * Records tick {@code tick} as missed and moves on to {@code nextTick} without enqueueing, with
   * the same checks as {@link #fire}: what a misfire policy does with a tick found too late.
   *
   * @param schedule the schedule as the caller read it
   * @param tick the tick, the schedule's next tick
   * @param nextTick the tick to move to, later than {@code tick}
   * @return {@link FireOutcome#MISSED}, or {@link FireOutcome#EARLY} or {@link FireOutcome#STALE}
   *     with nothing changed
   * @throws IllegalArgumentException {@code nextTick} is not after {@code tick}
   */
  FireOutcome miss(Schedule schedule, Instant tick, Instant nextTick);

  /**
   * Checks the tick order that {@link #fire} and {@link #miss} require.
   *
   * @param tick the tick
   * @param nextTick the next one
   * @throws IllegalArgumentException {@code nextTick} is not after {@code tick}
   */
  static void checkOrder(Instant tick, Instant nextTick) {
    if (!nextTick.isAfter(tick)) {
      throw new IllegalArgumentException(
          "next tick " + nextTick + " must be after tick " + tick + "");
    }
  }
}
