package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.logging.Logging;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of a short command (publish, dlq, stats), built by wiring from the settings, closed
 * when the command ends.
 *
 * @param inProcess the broker lives in this process only, so other dq processes do not see its
 *     tasks
 */
public record BrokerSession(
    Broker broker, DeadLetterQueue deadLetters, InstantSource clock, boolean inProcess)
    implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerSession.class);

  /**
   * Only warnings on stderr from here on (a short command's result is its stdout), then the
   * session.
   */
  static BrokerSession open(BrokerSessions sessions, AppSettings app) {
    Logging.warningsOnly();
    BrokerSession session = sessions.open(app);
    if (session.inProcess()) {
      log.warn(
          "broker {} lives inside this process only: other dq processes do not see it (use a shared broker)",
          app.broker());
    }
    return session;
  }

  @Override
  public void close() {
    broker.close();
  }
}
