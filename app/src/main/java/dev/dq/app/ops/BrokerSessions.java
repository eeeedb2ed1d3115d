package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;

/** Opens the broker of a short command once its settings are known; implemented by wiring. */
@FunctionalInterface
public interface BrokerSessions {
  /** Builds the session; connects nothing yet (the first broker call does). */
  BrokerSession open(AppSettings app);
}
