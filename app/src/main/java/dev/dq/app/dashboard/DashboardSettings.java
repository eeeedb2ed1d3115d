package dev.dq.app.dashboard;

import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.CommandFailedException;
import dev.dq.app.config.Setting;
import dev.dq.app.config.Setting.Rule;
import dev.dq.app.lifecycle.Lifecycle;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where and how a dashboard serves, checked once for {@code dq dashboard} and {@code dq run
 * --dashboard-port}: a non-loopback address needs a token or read-only, a token is long enough and
 * never taken from the command line, the allowed host names are names.
 *
 * @param bind the address to listen on
 * @param port the TCP port, 0 for any free one
 * @param readOnly hide and refuse every action
 * @param token the token every request must carry, if any
 * @param allowedHosts host names besides loopback and the bind address that requests may name
 */
public record DashboardSettings(
    InetAddress bind,
    int port,
    boolean readOnly,
    Optional<String> token,
    List<String> allowedHosts) {
  private static final Logger log = LoggerFactory.getLogger(DashboardSettings.class);

  /** The shortest token accepted: guessing must not be practical. */
  public static final int MIN_TOKEN = 16;

  public DashboardSettings {
    Objects.requireNonNull(bind, "bind");
    token = token.filter(t -> !t.isBlank());
    allowedHosts = List.copyOf(allowedHosts);
  }

  /**
   * The options of one command, checked.
   *
   * @param prefix of the option names in errors: {@code --} for {@code dq dashboard}, {@code
   *     --dashboard-} for {@code dq run}
   * @param bind the bind option's value
   * @param port the port option's value
   * @param readOnly the read-only option
   * @param token {@code DQ_DASHBOARD_TOKEN}, or null
   * @param tokenOnCommandLine the hidden token option was given as a flag (refused)
   * @param allowedHosts the allowed-host values, or null
   * @throws BadSettingException naming the bad value
   */
  public static DashboardSettings of(
      String prefix,
      String bind,
      int port,
      boolean readOnly,
      String token,
      boolean tokenOnCommandLine,
      List<String> allowedHosts) {
    if (tokenOnCommandLine) {
      throw new BadSettingException(
          "--dashboard-token: not taken from the command line (the process list shows it);"
              + " set DQ_DASHBOARD_TOKEN");
    }
    Optional<String> secret = Optional.ofNullable(token).filter(t -> !t.isBlank());
    if (secret.isPresent() && secret.get().length() < MIN_TOKEN) {
      throw new BadSettingException(
          "DQ_DASHBOARD_TOKEN: too short; use at least " + MIN_TOKEN + " characters");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new BadSettingException(prefix + "bind: unknown address " + bind);
    }
    Exposure.refusal(prefix, address, secret.isPresent(), readOnly)
        .ifPresent(
            why -> {
              throw new BadSettingException(why);
            });
    List<String> hosts = allowedHosts == null ? List.of() : allowedHosts;
    try {
      new AllowedHosts(address, hosts);
    } catch (IllegalArgumentException e) {
      throw new BadSettingException(prefix + "allowed-host: " + e.getMessage());
    }
    return new DashboardSettings(address, port, readOnly, secret, hosts);
  }

  /**
   * The dashboard as a service of a process's {@link Lifecycle}: listening once started, closed
   * when stopped.
   *
   * @param broker the process's broker connection
   * @param deadLetters its dead-letter queue
   * @param clock the process's clock
   * @param by who pauses a queue from this dashboard, as {@code dq queue pause} records it
   */
  public Lifecycle.Service service(
      Broker broker, DeadLetterQueue deadLetters, InstantSource clock, String by) {
    AtomicReference<DashboardServer> server = new AtomicReference<>();
    return new Lifecycle.Service(
        "dashboard",
        () -> {
          server.set(open(broker, deadLetters, clock, by));
          server.get().start();
          log.info(
              "dashboard on http://{}:{}/{}{}",
              bind.getHostAddress(),
              server.get().port(),
              readOnly ? " (read-only)" : "",
              token.isPresent() ? " (token required)" : "");
        },
        () -> {
          if (server.get() != null) {
            server.get().close();
          }
        });
  }

  private DashboardServer open(
      Broker broker, DeadLetterQueue deadLetters, InstantSource clock, String by) {
    try {
      return new DashboardServer(
          new InetSocketAddress(bind, port),
          new DashboardData(broker, deadLetters, clock),
          new DashboardActions(broker, deadLetters, by),
          new DashboardCron(broker),
          new Guard(token, new SecureRandom()),
          readOnly,
          allowedHosts);
    } catch (IOException e) {
      throw new CommandFailedException(
          "cannot listen on " + bind.getHostAddress() + ":" + port + ": " + e.getMessage());
    }
  }

  /** {@code DQ_DASHBOARD_BIND}: loopback unless told otherwise. */
  public static final class Bind extends Setting<String> {
    public Bind() {
      super("DQ_DASHBOARD_BIND", "127.0.0.1", Rule.text());
    }
  }

  /** {@code DQ_DASHBOARD_ALLOWED_HOSTS}, comma-separated. */
  public static final class AllowedHost extends Setting<String> {
    public AllowedHost() {
      super("DQ_DASHBOARD_ALLOWED_HOSTS", null, Rule.text());
    }
  }

  /** {@code DQ_DASHBOARD_TOKEN}: only from the environment. */
  public static final class Token extends Setting<String> {
    public Token() {
      super("DQ_DASHBOARD_TOKEN", null, Rule.text());
    }
  }

  /**
   * {@code DQ_RUN_DASHBOARD_PORT} of {@code dq run}: no default, no dashboard. Not {@code
   * DQ_DASHBOARD_PORT}, which configures {@code dq dashboard}: an environment shared by both would
   * otherwise turn a dashboard on in every worker.
   */
  public static final class OptionalPort extends Setting<Integer> {
    public OptionalPort() {
      super("DQ_RUN_DASHBOARD_PORT", null, Rule.wholeNumber(0, 65535));
    }
  }
}
