package dev.dq.opentelemetry;

import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.port.Broker;
import org.junit.jupiter.api.AfterEach;

/** The trace contract on the memory broker (one broker object serves both sides). */
final class MemoryTracePropagationTest extends TracePropagationContract {
  private final InMemoryBroker broker = InMemoryBroker.builder().build();

  @AfterEach
  void closeBroker() {
    broker.close();
  }

  @Override
  Broker producerBroker() {
    return broker;
  }

  @Override
  Broker workerBroker() {
    return broker;
  }
}
