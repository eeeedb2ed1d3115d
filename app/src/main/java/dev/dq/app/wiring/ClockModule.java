package dev.dq.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.dq.app.config.Durations;
import java.time.Clock;
import java.time.InstantSource;

/**
 * The system clock, which brokers and the pool read through {@link InstantSource}. Every injector
 * has it, including those of the short commands (publish, dlq, stats) that need a broker but no
 * worker pool.
 */
public final class ClockModule extends AbstractModule {
  /**
   * Test hook only: {@code -Ddq.test.clock-skew=300s} (or {@code PT-5M}) runs this process's clock
   * that far off, as on a host whose clock is wrong, so jar tests can prove that nothing depends on
   * a producer's or worker's clock.
   */
  public static final String SKEW_PROPERTY = "dq.test.clock-skew";

  @Provides
  @Singleton
  InstantSource clock() {
    String skew = System.getProperty(SKEW_PROPERTY);
    return skew == null
        ? InstantSource.system()
        : Clock.offset(Clock.systemUTC(), Durations.parse(skew));
  }
}
