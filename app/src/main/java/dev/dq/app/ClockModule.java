package dev.dq.app;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.time.InstantSource;

/**
 * The system clock, which brokers and the pool read through {@link InstantSource}. Every injector has it, including
 * those of the short commands (publish, dlq, stats) that need a broker but no worker pool.
 */
final class ClockModule extends AbstractModule {

  @Provides
  @Singleton
  InstantSource clock() {
    return InstantSource.system();
  }
}
