package dev.dq.testing;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import java.util.Objects;

/** A broker and the dead-letter queue that its {@link Broker#deadLetter} writes to. */
public record BrokerAndDeadLetters(Broker broker, DeadLetterQueue deadLetters) {
  public BrokerAndDeadLetters {
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(deadLetters, "deadLetters");
  }
}
