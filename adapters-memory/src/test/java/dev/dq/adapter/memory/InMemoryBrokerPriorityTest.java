package dev.dq.adapter.memory;

import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.PriorityContract;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterEach;

/** {@link InMemoryBroker} keeps the priority contract. */
final class InMemoryBrokerPriorityTest extends PriorityContract {
  private InMemoryBroker memory;

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
    memory = InMemoryBroker.builder().clock(clock).capacity(capacityPerQueue).build();
    return new BrokerAndDeadLetters(memory, memory.deadLetterQueue());
  }

  @AfterEach
  void noLeakedLeases() {
    memory.assertNoLeakedLeases(); // runs before the contract's teardown closes the broker
  }
}
