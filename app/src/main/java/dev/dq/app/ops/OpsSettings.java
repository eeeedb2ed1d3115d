package dev.dq.app.ops;

import dev.dq.app.config.Setting;
import dev.dq.app.config.Setting.Rule;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.List;

/**
 * The settings of publish, dlq and stats, one row each: variable, default and rule. The flags are
 * the names of the options that use them as converters.
 */
final class OpsSettings {
  private OpsSettings() {}

  static final class Queue extends Setting<String> {
    Queue() {
      super(
          "DQ_QUEUE",
          Task.DEFAULT_QUEUE,
          Rule.queueName("a queue name of 1-128 characters [A-Za-z0-9._:-]"));
    }
  }

  /** One of the queues of stats; the variable is a comma-separated list. */
  static final class Queues extends Setting<String> {
    Queues() {
      super("DQ_QUEUES", null, Rule.queueNameMaybeWeighted("a queue name"));
    }
  }

  static final class PublishCount extends Setting<Integer> {
    PublishCount() {
      super("DQ_PUBLISH_COUNT", "1", Rule.wholeNumber(1, PublishCommand.MAX_COUNT));
    }
  }

  static final class PublishDelay extends Setting<Duration> {
    PublishDelay() {
      super("DQ_PUBLISH_DELAY", "0ms", Rule.duration(Duration.ZERO, Duration.ofDays(30)));
    }
  }

  static final class PublishPriority extends Setting<Integer> {
    PublishPriority() {
      super(
          "DQ_PUBLISH_PRIORITY",
          Integer.toString(Task.DEFAULT_PRIORITY),
          Rule.wholeNumber(Task.MIN_PRIORITY, Task.MAX_PRIORITY));
    }
  }

  static final class PublishTimeout extends Setting<Duration> {
    PublishTimeout() {
      super("DQ_PUBLISH_TIMEOUT", "5s", Rule.duration(Duration.ZERO, Duration.ofMinutes(10)));
    }
  }

  static final class DlqLimit extends Setting<Integer> {
    DlqLimit() {
      super("DQ_DLQ_LIMIT", "100", Rule.wholeNumber(1, DlqCommand.MAX_LIMIT));
    }
  }

  static final class DlqOffset extends Setting<Integer> {
    DlqOffset() {
      super("DQ_DLQ_OFFSET", "0", Rule.wholeNumber(0, Integer.MAX_VALUE));
    }
  }

  static final class StatsInterval extends Setting<Duration> {
    StatsInterval() {
      super("DQ_STATS_INTERVAL", "2s", Rule.duration(Duration.ofMillis(100), Duration.ofHours(1)));
    }
  }

  /** Every row, for tests that walk the table. */
  static final List<Class<? extends Setting<?>>> ROWS =
      List.of(
          Queue.class,
          Queues.class,
          PublishCount.class,
          PublishDelay.class,
          PublishPriority.class,
          PublishTimeout.class,
          DlqLimit.class,
          DlqOffset.class,
          StatsInterval.class);
}
