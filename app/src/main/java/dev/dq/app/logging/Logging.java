package dev.dq.app.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Chooses the logback configuration for a {@link LogFormat}. Called before the first logger is
 * created, it only sets {@code logback.configurationFile}, so logback configures itself once;
 * called later (several commands run in one JVM, as in tests), it reconfigures the running context.
 * A configuration file given by the user with {@code -Dlogback.configurationFile} always wins.
 */
public final class Logging {
  static final String CONFIG_FILE_PROPERTY = "logback.configurationFile";

  /** Each of our configurations sets this context property to its format's name. */
  static final String FORMAT_PROPERTY = "dq.log.format";

  private Logging() {}

  public static void use(LogFormat format) {
    String current = System.getProperty(CONFIG_FILE_PROPERTY);
    if (current != null && !isOurs(current)) {
      return;
    }
    System.setProperty(CONFIG_FILE_PROPERTY, format.resource());
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      if (!format.name().equals(context.getProperty(FORMAT_PROPERTY))) {
        reconfigure(context, format);
      }
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
    }
  }

  /**
   * For the short commands (publish, dlq, stats), whose result is their stdout: only warnings and
   * errors go to stderr, not the broker's connect and close lines. Leaves a user's own logback
   * configuration alone.
   */
  public static void warningsOnly() {
    String current = System.getProperty(CONFIG_FILE_PROPERTY);
    if ((current == null || isOurs(current))
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.WARN);
    }
  }

  private static boolean isOurs(String configFile) {
    for (LogFormat f : LogFormat.values()) {
      if (f.resource().equals(configFile)) {
        return true;
      }
    }
    return false;
  }

  private static void reconfigure(LoggerContext context, LogFormat format) {
    URL config = Logging.class.getClassLoader().getResource(format.resource());
    if (config == null) {
      throw new IllegalStateException("missing resource " + format.resource());
    }
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("bad logback configuration " + config, e);
    }
  }
}
