package dev.dq.core.schedule;

import dev.dq.core.task.Names;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A periodic task: what to enqueue ({@code type}, {@code payload}, {@code headers} on {@code
 * queue}), when ({@code spec} in {@code zone}), and what to do with late ticks and overlapping
 * runs. A schedule is known by its queue and name; two with equal fields are the same spec, so
 * storing one again changes nothing (see {@link Schedules#upsert}).
 *
 * @param name the schedule's name, unique within its queue; 1..{@link #MAX_NAME_LENGTH} characters
 *     of {@code [A-Za-z0-9._:-]}
 * @param queue the queue its tasks go to, which also holds the schedule
 * @param spec when it ticks
 * @param zone the time zone in which a cron expression is read
 * @param type the task type of each run
 * @param payload the payload of each run
 * @param headers the headers of each run; copied
 * @param misfire what to do with ticks found too late
 * @param overlap whether a tick fires while the previous run is held
 */
public record Schedule(
    String name,
    String queue,
    ScheduleSpec spec,
    ZoneId zone,
    String type,
    Payload payload,
    Map<String, String> headers,
    Misfire misfire,
    Overlap overlap) {

  /**
   * Longest schedule name: a run's task id, {@code cron:<name>:<tick millis>}, must stay a valid
   * name.
   */
  public static final int MAX_NAME_LENGTH = 100;

  /**
   * Checks every value.
   *
   * @param name the schedule's name
   * @param queue the queue
   * @param spec when it ticks
   * @param zone the zone of a cron expression
   * @param type the task type
   * @param payload the payload
   * @param headers the headers
   * @param misfire the misfire policy
   * @param overlap the overlap policy
   * @throws dev.dq.core.task.InvalidTaskException a name is invalid
   * @throws NullPointerException a value is null
   */
  public Schedule {
    Names.check("schedule name", name);
    if (name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "schedule name must be at most " + MAX_NAME_LENGTH + " characters: " + name);
    }
    Names.check("queue", queue);
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(zone, "zone");
    Names.check("task type", type);
    Objects.requireNonNull(payload, "payload");
    headers = Map.copyOf(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    Objects.requireNonNull(misfire, "misfire");
    Objects.requireNonNull(overlap, "overlap");
  }

  /**
   * A schedule with UTC, an empty payload, no headers, misfire {@link Misfire#SKIP} and overlap
   * {@link Overlap#ALLOW}; change them with the {@code with*} methods.
   *
   * @param name the schedule's name
   * @param queue the queue
   * @param spec when it ticks
   * @param type the task type
   * @return the schedule
   */
  public static Schedule of(String name, String queue, ScheduleSpec spec, String type) {
    return new Schedule(
        name,
        queue,
        spec,
        ZoneId.of("UTC"),
        type,
        Payload.EMPTY,
        Map.of(),
        Misfire.SKIP,
        Overlap.ALLOW);
  }

  /**
   * This schedule in another zone.
   *
   * @param zone the zone
   * @return a copy
   */
  public Schedule withZone(ZoneId zone) {
    return new Schedule(name, queue, spec, zone, type, payload, headers, misfire, overlap);
  }

  /**
   * This schedule with another payload.
   *
   * @param payload the payload
   * @return a copy
   */
  public Schedule withPayload(Payload payload) {
    return new Schedule(name, queue, spec, zone, type, payload, headers, misfire, overlap);
  }

  /**
   * This schedule with another misfire policy.
   *
   * @param misfire the policy
   * @return a copy
   */
  public Schedule withMisfire(Misfire misfire) {
    return new Schedule(name, queue, spec, zone, type, payload, headers, misfire, overlap);
  }

  /**
   * This schedule with another overlap policy.
   *
   * @param overlap the policy
   * @return a copy
   */
  public Schedule withOverlap(Overlap overlap) {
    return new Schedule(name, queue, spec, zone, type, payload, headers, misfire, overlap);
  }

  /**
   * The id of the run of tick {@code tick}: {@code cron:<name>:<tick epoch millis>}. The same for
   * every scheduler, so a tick can be enqueued once only.
   *
   * @param tick the tick
   * @return the task id
   */
  public TaskId taskId(Instant tick) {
    return new TaskId("cron:" + name + ":" + tick.toEpochMilli());
  }

  /**
   * The task of the run of tick {@code tick}, created "at" the tick so that every scheduler builds
   * the same one.
   *
   * @param tick the tick
   * @return the task
   */
  public Task task(Instant tick) {
    return new Task(taskId(tick), queue, type, payload, headers, tick, 1);
  }
}
