package dev.dq.app;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.OutcomeUnknownException;
import dev.dq.core.task.TaskQueueException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Entry point of {@code dq.jar}. Holds no logger on purpose: the logback configuration is chosen from the settings,
 * which must happen before the first logger is created.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.in, System.out, System.err));
  }

  /** Runs {@code dq} with an explicit environment and streams; returns the exit code. */
  static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    return run(args, new Env(env), in, out, err, (app, demo) -> {
      Logging.use(app.logFormat());
      return Demo.run(app, demo, out);
    });
  }

  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(args, env, InputStream.nullInputStream(), out, err);
  }

  static int run(String[] args, Env env, PrintStream out, PrintStream err, DemoCommand.Launcher launcher) {
    return run(args, env, InputStream.nullInputStream(), out, err, launcher);
  }

  static int run(
      String[] args, Env env, InputStream in, PrintStream out, PrintStream err, DemoCommand.Launcher launcher) {
    return commandLine(env, in, out, err, launcher).execute(args);
  }

  static CommandLine commandLine(
      Env env, InputStream in, PrintStream out, PrintStream err, DemoCommand.Launcher launcher) {
    CommandLine cl = new CommandLine(new DqCommand(env));
    cl.addSubcommand("demo", new DemoCommand(env, launcher));
    cl.addSubcommand("run", new RunCommand(env));
    cl.addSubcommand("publish", new PublishCommand(env, in));
    cl.addSubcommand("dlq", DlqCommand.commandLine(env));
    cl.addSubcommand("stats", new StatsCommand(env));
    cl.addSubcommand("bench", new BenchCommand(env));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    // Every usage error, picocli's or ours, is one line on stderr and exit code 2: scripts read the code, humans
    // the line, and nobody needs a stack trace or the full usage to see which value was wrong.
    cl.setParameterExceptionHandler((ex, args) -> oneLine(ex.getCommandLine(), ex.getMessage()));
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
   * An injector with the broker module named in {@code app} plus {@code modules}. Building it connects nothing and
   * starts no thread; the caller starts the services it takes from it.
   */
  static Injector createInjector(AppSettings app, Module... modules) {
    List<Module> all = new ArrayList<>(List.of(modules));
    all.add(new ClockModule());
    all.add(BrokerModules.forSettings(app));
    return Guice.createInjector(all);
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
   * A write whose reply was lost: neither success nor "nothing happened" is true. One line says so (the message should
   * say how to check), then the ids in doubt, one per line, so that nobody sends them again blindly.
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
