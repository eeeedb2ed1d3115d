package dev.dq.app.migrate;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.EnvironmentDefaults;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.logging.Logging;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dq migrate}: moves the tasks of a Redis from dq's data model v1 (dq 0.x) to v2, the one
 * this version reads. Idempotent: after a crash, run it again. Whatever {@code --broker} says, it
 * works on Redis.
 */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Moves a Redis's tasks from dq's data model v1 (dq 0.x) to v2.",
    description = {
      "Stop every older dq process first: a v1 worker must not run against v2 data. Migrates every queue in"
          + " dq:queues plus those given with --queue, prints per queue what moved, then 'data model is v2'."
          + " Safe to run again after a crash or an interruption; a second run moves nothing."
    })
public final class MigrateCommand implements Callable<Integer> {
  static final int MAX_BATCH = 10_000;
  static final int DEFAULT_BATCH = 500;

  private final Supplier<AppSettings> app;
  private final Migrations migrations;

  @Spec CommandSpec spec;

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description = "Redis to migrate (default: dq's --redis-url, env DQ_REDIS_URL).")
  String redisUrl;

  @Option(
      names = "--queue",
      paramLabel = "NAME",
      converter = MigrateSettings.Queues.class,
      split = EnvironmentDefaults.ITEMS,
      hideParamSyntax = true,
      description = "A queue to migrate that dq:queues does not list; repeatable (env DQ_QUEUES).")
  List<String> queues;

  @Option(names = "--dry-run", description = "Count what would move; change nothing.")
  boolean dryRun;

  @Option(
      names = "--batch",
      paramLabel = "N",
      converter = MigrateSettings.Batch.class,
      description =
          "Task keys per SCAN page and per script call (env DQ_MIGRATE_BATCH, default"
              + " ${DEFAULT-VALUE}).")
  int batch;

  /**
   * @param app the shared settings of the root command, resolved (and logging configured) when this
   *     command runs
   * @param migrations opens the migration once the settings are known
   */
  public MigrateCommand(Supplier<AppSettings> app, Migrations migrations) {
    this.app = app;
    this.migrations = migrations;
  }

  @Override
  public Integer call() {
    AppSettings shared = app.get();
    String url = redisUrl != null ? redisUrl : shared.redisUrl();
    Migrations.Migration migration;
    try {
      migration = migrations.open(url, batch);
    } catch (IllegalArgumentException e) {
      // The parser's message masks a password; the raw value is never echoed.
      throw new BadSettingException(
          (redisUrl != null ? "--redis-url" : "DQ_REDIS_URL") + ": " + e.getMessage());
    }
    Logging.warningsOnly();
    PrintWriter out = spec.commandLine().getOut();
    List<String> named = queues == null ? List.of() : List.copyOf(queues);
    List<Migrations.Queue> done = new ArrayList<>();
    long moved;
    try (migration) {
      moved =
          migration.migrate(
              named,
              dryRun,
              q -> {
                done.add(q);
                out.println(line(q, dryRun));
                out.flush();
              });
    }
    if (done.isEmpty()) {
      out.println("no queue found (dq:queues is empty; name others with --queue)");
    }
    out.println(
        dryRun ? "dry run: nothing changed; " + moved + " tasks to move" : "data model is v2");
    out.flush();
    return 0;
  }

  private static String line(Migrations.Queue q, boolean dryRun) {
    StringBuilder line =
        new StringBuilder("queue ")
            .append(q.queue())
            .append(": ")
            .append(q.moved())
            .append(dryRun ? " tasks to move, " : " tasks moved, ")
            .append(q.conflicts())
            .append(" conflicts");
    if (!q.otherTypes().isEmpty()) {
      line.append(", ")
          .append(q.otherTypes().size())
          .append(" task keys of another type left in place: ")
          .append(String.join(" ", q.otherTypes().stream().limit(10).toList()));
      if (q.otherTypes().size() > 10) {
        line.append(" ...");
      }
    }
    return line.toString();
  }
}
