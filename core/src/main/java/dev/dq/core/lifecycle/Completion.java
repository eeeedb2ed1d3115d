package dev.dq.core.lifecycle;

import dev.dq.core.port.Lease;
import dev.dq.core.task.Payload;
import java.util.Objects;
import java.util.Optional;

/**
 * A successful delivery to settle, with the result its handler returned, if any. See {@link
 * TaskLookup#complete}.
 *
 * @param lease the lease of the delivery that succeeded
 * @param result what the handler returned; empty when it returned nothing
 */
public record Completion(Lease lease, Optional<Payload> result) {
  /**
   * Checks that both components are present.
   *
   * @param lease the lease of the delivery that succeeded
   * @param result what the handler returned; empty when it returned nothing
   * @throws NullPointerException a component is null
   */
  public Completion {
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(result, "result");
  }
}
