package dev.dq.app.migrate;

import dev.dq.app.config.Setting;
import dev.dq.app.config.Setting.Rule;
import java.util.List;

/** The settings of {@code dq migrate}, one row each: variable, default and rule. */
final class MigrateSettings {
  private MigrateSettings() {}

  /** One queue to migrate besides the listed ones; the variable is a comma-separated list. */
  static final class Queues extends Setting<String> {
    Queues() {
      super("DQ_QUEUES", null, Rule.queueNameMaybeWeighted("a queue name"));
    }
  }

  static final class Batch extends Setting<Integer> {
    Batch() {
      super(
          "DQ_MIGRATE_BATCH",
          String.valueOf(MigrateCommand.DEFAULT_BATCH),
          Rule.wholeNumber(1, MigrateCommand.MAX_BATCH));
    }
  }

  /** Every row, for tests that walk the table. */
  static final List<Class<? extends Setting<?>>> ROWS = List.of(Queues.class, Batch.class);
}
