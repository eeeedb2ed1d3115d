package dev.dq.app;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.Backends;
import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.Durations;
import dev.dq.app.config.Setting;
import dev.dq.app.config.Setting.Rule;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.logging.LogFormat;
import dev.dq.app.logging.Logging;
import java.time.Duration;
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
      "  DQ_BROKER       broker: memory | redis",
      "  DQ_REDIS_URL    redis://[user:password@]host:port/db, rediss://..., or",
      "                  redis-sentinel://[user:password@]host:port[,host:port]/master[/db]",
      "                  redis-cluster://[user:password@]host:port[,host:port] (seed nodes)",
      "  DQ_DURABLE_REPLICAS  replicas that must confirm each enqueue (WAIT), 0 = none",
      "  DQ_DURABLE_TIMEOUT   longest wait for those confirmations",
      "  DQ_LOG_FORMAT   log format on stderr: text | json",
      "  DQ_QUEUE_CAPACITY  most waiting tasks per queue",
      "A flag wins over its environment variable. A bad value exits with code 2."
    })
final class DqCommand implements Callable<Integer> {
  private final Backends backends;

  @Spec CommandSpec spec;

  @Option(
      names = "--broker",
      paramLabel = "NAME",
      converter = Broker.class,
      description = "Broker to use: memory | redis (env DQ_BROKER, default ${DEFAULT-VALUE}).")
  String broker;

  @Option(
      names = "--redis-url",
      paramLabel = "URL",
      converter = RedisUrl.class,
      description = "Redis of the redis broker (env DQ_REDIS_URL, default ${DEFAULT-VALUE}).")
  String redisUrl;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      converter = Format.class,
      description =
          "Log format on stderr: text | json (env DQ_LOG_FORMAT, default ${DEFAULT-VALUE}).")
  String logFormat;

  @Option(
      names = "--queue-capacity",
      paramLabel = "N",
      converter = QueueCapacity.class,
      description =
          "Most waiting (ready + delayed) tasks per queue; publishers wait while it is full "
              + "(env DQ_QUEUE_CAPACITY, default ${DEFAULT-VALUE}).")
  int queueCapacity;

  @Option(
      names = "--durable-replicas",
      paramLabel = "N",
      converter = DurableReplicas.class,
      description =
          "Redis only: acknowledge an enqueue (publish, bench) only once N replicas confirm it"
              + " with WAIT, 0 = no wait; fewer in time = outcome unknown, exit 1 (env"
              + " DQ_DURABLE_REPLICAS, default ${DEFAULT-VALUE}).")
  int durableReplicas;

  @Option(
      names = "--durable-timeout",
      paramLabel = "DURATION",
      converter = DurableTimeout.class,
      description =
          "Longest wait for --durable-replicas confirmations (env DQ_DURABLE_TIMEOUT, default"
              + " ${DEFAULT-VALUE}).")
  Duration durableTimeout;

  DqCommand(Backends backends) {
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
    try {
      backends.check(broker, redisUrl);
    } catch (IllegalArgumentException e) {
      // The backend's message masks a password; the raw value is never echoed.
      boolean flag = spec.commandLine().getParseResult().hasMatchedOption("--redis-url");
      throw new BadSettingException(
          (flag ? "--redis-url" : "DQ_REDIS_URL") + ": " + e.getMessage());
    }
    if (durableReplicas > 0 && !backends.confirmsEnqueues(broker)) {
      boolean flag = spec.commandLine().getParseResult().hasMatchedOption("--durable-replicas");
      throw new BadSettingException(
          (flag ? "--durable-replicas" : "DQ_DURABLE_REPLICAS")
              + ": broker "
              + broker
              + " has no replicas to confirm an enqueue; use --broker=redis or 0");
    }
    return new AppSettings(
        broker,
        LogFormat.BY_NAME.get(logFormat),
        redisUrl,
        queueCapacity,
        durableReplicas,
        durableTimeout);
  }

  /** The backend, one of the registry's; picocli makes it through {@code Main}'s factory. */
  static final class Broker extends Setting<String> {
    Broker(Backends backends) {
      super("DQ_BROKER", backends.defaultName(), Rule.choice(backends.names()));
    }
  }

  static final class RedisUrl extends Setting<String> {
    RedisUrl() {
      super("DQ_REDIS_URL", AppSettings.DEFAULT_REDIS_URL, Rule.text());
    }
  }

  static final class Format extends Setting<String> {
    Format() {
      super("DQ_LOG_FORMAT", "text", Rule.choice(LogFormat.BY_NAME.keySet()));
    }
  }

  static final class DurableReplicas extends Setting<Integer> {
    DurableReplicas() {
      super("DQ_DURABLE_REPLICAS", "0", Rule.wholeNumber(0, AppSettings.MAX_DURABLE_REPLICAS));
    }
  }

  static final class DurableTimeout extends Setting<Duration> {
    DurableTimeout() {
      super(
          "DQ_DURABLE_TIMEOUT",
          Durations.format(AppSettings.DEFAULT_DURABLE_TIMEOUT),
          Rule.duration(Duration.ofMillis(1), AppSettings.MAX_DURABLE_TIMEOUT));
    }
  }

  static final class QueueCapacity extends Setting<Integer> {
    QueueCapacity() {
      super(
          "DQ_QUEUE_CAPACITY",
          String.valueOf(AppSettings.DEFAULT_QUEUE_CAPACITY),
          Rule.wholeNumber(1, AppSettings.MAX_QUEUE_CAPACITY));
    }
  }
}
