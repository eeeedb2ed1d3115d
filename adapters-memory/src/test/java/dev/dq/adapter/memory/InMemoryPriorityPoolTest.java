package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.testing.PriorityPoolContract;
import org.junit.jupiter.api.AfterEach;

/** A worker pool on {@link InMemoryBroker} starts urgent tasks first while every worker is busy. */
final class InMemoryPriorityPoolTest extends PriorityPoolContract {
  private final InMemoryBroker broker = InMemoryBroker.builder().build();

  @Override
  protected Broker producer() {
    return broker;
  }

  @Override
  protected Broker consumer() {
    return broker;
  }

  @AfterEach
  void close() {
    broker.assertNoLeakedLeases();
    broker.close();
  }
}
