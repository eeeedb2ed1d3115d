package dev.dq.app;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.Backends;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.logging.LogFormat;
import dev.dq.app.logging.Logging;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dq}: the top-level command. Holds the options every subcommand shares; does nothing on its
 * own.
 */
@Command(
    name = "dq",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "A task queue for the JVM: at-least-once delivery, retries, dead letters, backpressure.",
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  DQ_BROKER       broker: memory (default) | redis",
      "  DQ_REDIS_URL    redis://[user:password@]host:port/db or rediss://... (default redis://127.0.0.1:6379)",
      "  DQ_LOG_FORMAT   log format on stderr: text (default) | json",
      "  DQ_QUEUE_CAPACITY  most waiting tasks per queue (default 100000)",
      "A flag wins over its environment variable. A bad value exits with code 2."
    })
final class DqCommand implements Callable<Integer> {
  private final SettingResolver env;
  private final Backends backends;

  @Spec CommandSpec spec;

  @Option(
      names = "--broker",
      paramLabel = "NAME",
      description = "Broker to use: memory | redis (env DQ_BROKER, default memory).")
  String broker;

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      description = "Redis of the redis broker (env DQ_REDIS_URL, default redis://127.0.0.1:6379).")
  String redisUrl;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      description = "Log format on stderr: text | json (env DQ_LOG_FORMAT, default text).")
  String logFormat;

  @Option(
      names = "--queue-capacity",
      paramLabel = "N",
      description =
          "Most waiting (ready + delayed) tasks per queue; publishers wait while it is full "
              + "(env DQ_QUEUE_CAPACITY, default 100000).")
  String queueCapacity;

  DqCommand(SettingResolver env, Backends backends) {
    this.env = env;
    this.backends = backends;
  }

  /** Without a subcommand there is nothing to do: show how to use dq, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /**
   * The shared settings, with logging configured for them: the first thing every subcommand does.
   */
  AppSettings configure() {
    AppSettings app = settings();
    Logging.use(app.logFormat());
    return app;
  }

  AppSettings settings() {
    String brokerName =
        env.choice(broker, "--broker", "DQ_BROKER", backends.defaultName(), backends.names());
    String format =
        env.choice(logFormat, "--log-format", "DQ_LOG_FORMAT", "text", LogFormat.BY_NAME.keySet());
    String url = env.text(redisUrl, "DQ_REDIS_URL", AppSettings.DEFAULT_REDIS_URL);
    try {
      backends.check(brokerName, url);
    } catch (IllegalArgumentException e) {
      // The backend's message masks a password; the raw value is never echoed.
      throw new BadSettingException(
          (redisUrl != null ? "--redis-url" : "DQ_REDIS_URL") + ": " + e.getMessage());
    }
    int capacity =
        env.intInRange(
            queueCapacity,
            "--queue-capacity",
            "DQ_QUEUE_CAPACITY",
            AppSettings.DEFAULT_QUEUE_CAPACITY,
            1,
            AppSettings.MAX_QUEUE_CAPACITY);
    return new AppSettings(brokerName, LogFormat.BY_NAME.get(format), url, capacity);
  }
}
