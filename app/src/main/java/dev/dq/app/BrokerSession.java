package dev.dq.app;

import com.google.inject.Injector;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The broker of a short command (publish, dlq, stats): opened from the settings, closed when the command ends. */
final class BrokerSession implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BrokerSession.class);

  private final Broker broker;
  private final DeadLetterQueue deadLetters;
  private final InstantSource clock;

  private BrokerSession(Injector injector) {
    this.broker = injector.getInstance(Broker.class);
    this.deadLetters = injector.getInstance(DeadLetterQueue.class);
    this.clock = injector.getInstance(InstantSource.class);
  }

  static BrokerSession open(AppSettings app) {
    Logging.warningsOnly();
    if (app.broker().equals("memory")) {
      log.warn("broker memory lives inside this process only: other dq processes do not see it (use a shared broker)");
    }
    return new BrokerSession(Main.createInjector(app));
  }

  Broker broker() {
    return broker;
  }

  DeadLetterQueue deadLetters() {
    return deadLetters;
  }

  InstantSource clock() {
    return clock;
  }

  @Override
  public void close() {
    broker.close();
  }
}
