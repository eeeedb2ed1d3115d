package dev.dq.app;

import dev.dq.app.bench.BenchCommand;
import dev.dq.app.config.Backends;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.EnvironmentDefaults;
import dev.dq.app.config.Setting;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.cron.CronCommand;
import dev.dq.app.dashboard.DashboardCommand;
import dev.dq.app.demo.Demo;
import dev.dq.app.demo.DemoCommand;
import dev.dq.app.logging.Logging;
import dev.dq.app.migrate.MigrateCommand;
import dev.dq.app.ops.DlqCommand;
import dev.dq.app.ops.LimitCommand;
import dev.dq.app.ops.PublishCommand;
import dev.dq.app.ops.QueueCommand;
import dev.dq.app.ops.StatsCommand;
import dev.dq.app.ops.TaskCommand;
import dev.dq.app.ops.ThroughputCommand;
import dev.dq.app.ops.WorkersCommand;
import dev.dq.app.run.RunCommand;
import dev.dq.app.wiring.Wiring;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.task.TaskQueueException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of {@code dq.jar}: builds the command line, hands each command what wiring builds for
 * it, and turns errors into exit codes (2: usage, 1: failed). Holds no logger on purpose: the
 * logback configuration is chosen from the settings, which must happen before the first logger is
 * created.
 *
 * <p>The {@code run} and {@code commandLine} methods are public for the tests of each feature
 * package.
 */
public final class Main {
  private static final Wiring WIRING = new Wiring();

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.in, System.out, System.err));
  }

  /** Runs {@code dq} with an explicit environment and streams; returns the exit code. */
  public static int run(
      String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    return run(
        args,
        new SettingResolver(env),
        in,
        out,
        err,
        (app, demo) -> {
          Logging.use(app.logFormat());
          return Demo.run(WIRING.demo(app, demo), demo, out);
        });
  }

  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, InputStream.nullInputStream(), out, err);
  }

  public static int run(
      String[] args,
      SettingResolver env,
      PrintStream out,
      PrintStream err,
      DemoCommand.Launcher launcher) {
    return run(args, env, InputStream.nullInputStream(), out, err, launcher);
  }

  static int run(
      String[] args,
      SettingResolver env,
      InputStream in,
      PrintStream out,
      PrintStream err,
      DemoCommand.Launcher launcher) {
    return commandLine(env, in, out, err, launcher).execute(args);
  }

  /** The whole command line; {@code launcher} runs the demo once its settings are resolved. */
  public static CommandLine commandLine(
      SettingResolver env,
      InputStream in,
      PrintStream out,
      PrintStream err,
      DemoCommand.Launcher launcher) {
    DqCommand root = new DqCommand(WIRING.backends());
    CommandLine cl = new CommandLine(root, new RowFactory(WIRING.backends()));
    // The shared options are parsed into root before a subcommand runs; configure() also sets up
    // logging, which the
    // demo launcher does itself.
    cl.addSubcommand("demo", new DemoCommand(root::settings, launcher));
    cl.addSubcommand("run", new RunCommand(root::configure, WIRING::worker));
    cl.addSubcommand("publish", new PublishCommand(root::configure, WIRING::session, in));
    cl.addSubcommand("dlq", DlqCommand.commandLine(root::configure, WIRING::session));
    cl.addSubcommand("stats", new StatsCommand(root::configure, WIRING::session));
    cl.addSubcommand("workers", new WorkersCommand(root::configure, WIRING::session));
    cl.addSubcommand("dashboard", new DashboardCommand(root::configure, WIRING::session));
    cl.addSubcommand("throughput", new ThroughputCommand(root::configure, WIRING::session));
    cl.addSubcommand("cron", CronCommand.commandLine(root::configure, WIRING::session));
    cl.addSubcommand("limit", LimitCommand.commandLine(root::configure, WIRING::session));
    cl.addSubcommand("queue", QueueCommand.commandLine(root::configure, WIRING::session));
    cl.addSubcommand("task", TaskCommand.commandLine(root::configure, WIRING::session, out));
    cl.addSubcommand("migrate", new MigrateCommand(root::configure, WIRING::migration));
    cl.addSubcommand("bench", new BenchCommand(root::configure, WIRING.backends()));
    // Typed options whose converter is a setting row take their DQ_* variable when not given.
    EnvironmentDefaults.install(cl, env);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // Every usage error, picocli's or ours, is one line on stderr and exit code 2: scripts read the
    // code, humans
    // the line, and nobody needs a stack trace or the full usage to see which value was wrong.
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          String rejected = Setting.message(ex);
          return oneLine(ex.getCommandLine(), rejected != null ? rejected : ex.getMessage());
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof BadSettingException) {
            return oneLine(commandLine, ex.getMessage());
          }
          if (ex instanceof CommandFailedException) {
            return failed(commandLine, ex.getMessage());
          }
          if (ex instanceof OutcomeUnknownException unknown) {
            return unknown(commandLine, unknown);
          }
          if (ex instanceof BrokerUnavailableException) {
            return failed(commandLine, "broker unavailable: " + ex.getMessage());
          }
          if (ex instanceof TaskQueueException) {
            return failed(commandLine, ex.getMessage());
          }
          throw ex;
        });
    return cl;
  }

  /**
   * Makes the setting rows that need the backend registry (its names and default), those with a
   * constructor taking {@link Backends}; anything else as picocli would.
   */
  private record RowFactory(Backends backends) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      Constructor<K> needsBackends;
      try {
        needsBackends = cls.getDeclaredConstructor(Backends.class);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
      needsBackends.setAccessible(true); // rows are package-private, next to their command
      return needsBackends.newInstance(backends);
    }
  }

  /** A usage error: bad flag, bad variable, unknown command. */
  private static int oneLine(CommandLine cl, String message) {
    print(cl, message, "invalid arguments");
    return 2;
  }

  /** The command could not do its job: broker unreachable, task rejected, entry not found. */
  private static int failed(CommandLine cl, String message) {
    print(cl, message, "failed");
    return 1;
  }

  /**
   * A write whose reply was lost: neither success nor "nothing happened" is true. One line says so
   * (the message should say how to check), then the ids in doubt, one per line, so that nobody
   * sends them again blindly.
   */
  private static int unknown(CommandLine cl, OutcomeUnknownException e) {
    String message = e.getMessage();
    if (!message.startsWith("outcome unknown")) {
      message = "outcome unknown: " + message;
    }
    print(cl, message, "outcome unknown");
    e.ids().forEach(id -> cl.getErr().println("dq:   " + id.value()));
    cl.getErr().flush();
    return 1;
  }

  private static void print(CommandLine cl, String message, String fallback) {
    String line = message == null ? fallback : message.lines().findFirst().orElse(fallback);
    cl.getErr().println("dq: " + line);
    cl.getErr().flush();
  }
}
