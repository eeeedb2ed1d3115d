package dev.dq.app.dashboard;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.EnvironmentDefaults;
import dev.dq.app.config.Setting;
import dev.dq.app.config.Setting.Rule;
import dev.dq.app.config.VersionProvider;
import dev.dq.app.lifecycle.Lifecycle;
import dev.dq.app.ops.BrokerSession;
import dev.dq.app.ops.BrokerSessions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dq dashboard}: serves the web dashboard and its JSON API until stopped. */
@Command(
    name = "dashboard",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Serves the web dashboard and its JSON API (/api/...) until Ctrl+C or SIGTERM.",
    description = {
      "Reads and acts through the same broker operations as dq stats, dq task, dq dlq, dq queue and dq"
          + " workers; several processes may serve it. Bound to a non-loopback address it refuses to"
          + " start unless DQ_DASHBOARD_TOKEN is set (then every request needs it) or --read-only is"
          + " given."
    })
public final class DashboardCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(DashboardCommand.class);

  private final Supplier<AppSettings> app;
  private final BrokerSessions sessions;

  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      converter = Port.class,
      description = "TCP port, 0 = any free one (env DQ_DASHBOARD_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--bind",
      paramLabel = "ADDRESS",
      converter = DashboardSettings.Bind.class,
      description = "Address to listen on (env DQ_DASHBOARD_BIND, default ${DEFAULT-VALUE}).")
  String bind;

  @Option(
      names = "--allowed-host",
      paramLabel = "NAME",
      converter = DashboardSettings.AllowedHost.class,
      split = EnvironmentDefaults.ITEMS,
      hideParamSyntax = true,
      description =
          "Host name the browser may use besides localhost, 127.0.0.1, [::1] and the bind address;"
              + " repeatable (env DQ_DASHBOARD_ALLOWED_HOSTS, comma-separated). Any other Host is"
              + " answered 421.")
  List<String> allowedHosts;

  @Option(names = "--read-only", description = "Show only: hide and refuse every action (403).")
  boolean readOnly;

  /** Only from the environment (a flag would show the token in the process list). */
  @Option(names = "--dashboard-token", hidden = true, converter = DashboardSettings.Token.class)
  String token;

  /**
   * @param app the shared settings of the root command, resolved when this command runs
   * @param sessions opens the broker once the settings are known
   */
  public DashboardCommand(Supplier<AppSettings> app, BrokerSessions sessions) {
    this.app = app;
    this.sessions = sessions;
  }

  @Override
  public Integer call() {
    DashboardSettings settings =
        DashboardSettings.of(
            "--",
            bind,
            port,
            readOnly,
            token,
            spec.commandLine().getParseResult().hasMatchedOption("--dashboard-token"),
            allowedHosts);
    AppSettings shared = app.get();
    BrokerSession session = sessions.open(shared);
    if (session.inProcess()) {
      log.warn(
          "broker {} lives inside this process only: the dashboard shows no other process's tasks",
          shared.broker());
    }
    Lifecycle lifecycle =
        new Lifecycle(
            List.of(
                new Lifecycle.Service("broker", () -> {}, session::close),
                settings.service(
                    session.broker(), session.deadLetters(), session.clock(), "dashboard")),
            Duration.ofSeconds(5));
    lifecycle.runUntilStopped(Duration.ofHours(1), () -> {});
    return 0;
  }

  static final class Port extends Setting<Integer> {
    Port() {
      super("DQ_DASHBOARD_PORT", "8080", Rule.wholeNumber(0, 65535));
    }
  }
}
