package dev.dq.adapter.memory;

import dev.dq.core.port.Broker;
import dev.dq.testing.TaskBrowserContract;
import java.time.InstantSource;

final class InMemoryTaskBrowserTest extends TaskBrowserContract {
  @Override
  protected Broker createBroker(InstantSource clock) {
    return InMemoryBroker.builder().clock(clock).build();
  }
}
