package dev.dq.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dq}: the top-level command. Holds the options every subcommand shares; does nothing on its own. */
@Command(
    name = "dq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "A task queue for the JVM: at-least-once delivery, retries, dead letters, backpressure.",
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  DQ_BROKER       broker: memory (default)",
      "  DQ_LOG_FORMAT   log format on stderr: text (default) | json",
      "A flag wins over its environment variable. A bad value exits with code 2."
    })
final class DqCommand implements Callable<Integer> {
  private final Env env;

  @Spec CommandSpec spec;

  @Option(names = "--broker", paramLabel = "NAME", description = "Broker to use (env DQ_BROKER, default memory).")
  String broker;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description = "Log format on stderr: text | json (env DQ_LOG_FORMAT, default text).")
  String logFormat;

  DqCommand(Env env) {
    this.env = env;
  }

  /** Without a subcommand there is nothing to do: show how to use dq, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  AppSettings settings() {
    String brokerName = env.choice(broker, "--broker", "DQ_BROKER", "memory", BrokerModules.BY_NAME.keySet());
    String format = env.choice(logFormat, "--log-format", "DQ_LOG_FORMAT", "text", LogFormat.BY_NAME.keySet());
    return new AppSettings(brokerName, LogFormat.BY_NAME.get(format));
  }
}
