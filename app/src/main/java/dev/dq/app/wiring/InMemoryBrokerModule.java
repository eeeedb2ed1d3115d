package dev.dq.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import java.time.InstantSource;

/**
 * {@code DQ_BROKER=memory}: one {@link InMemoryBroker} in this JVM, serving as {@link Broker} and
 * its DLQ.
 */
final class InMemoryBrokerModule extends AbstractModule {
  private final int capacity;

  /**
   * @param capacity most waiting tasks per queue, already checked
   */
  InMemoryBrokerModule(int capacity) {
    this.capacity = capacity;
  }

  @Provides
  @Singleton
  InMemoryBroker inMemoryBroker(InstantSource clock) {
    return InMemoryBroker.builder().clock(clock).capacity(capacity).build();
  }

  @Provides
  @Singleton
  Broker broker(InMemoryBroker broker) {
    return broker;
  }

  @Provides
  @Singleton
  DeadLetterQueue deadLetterQueue(InMemoryBroker broker) {
    return broker.deadLetterQueue();
  }
}
