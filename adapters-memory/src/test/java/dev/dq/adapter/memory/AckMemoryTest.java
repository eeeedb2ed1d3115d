package dev.dq.adapter.memory;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class AckMemoryTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Task TASK = aTask("t1").build();

  private final AckMemory memory = new AckMemory();

  private static Lease lease(long token, Instant expiresAt) {
    return new Lease(TASK, token, expiresAt);
  }

  @Test
  void acked_rememberedToken_isAckedUntilThreeTimesWhatWasLeftOfItsLease() {
    memory.remember(lease(7, T0.plusSeconds(30)), T0);

    assertThat(memory.acked(lease(7, T0.plusSeconds(30)), T0.plusSeconds(89))).isTrue();
    assertThat(memory.acked(lease(8, T0.plusSeconds(30)), T0.plusSeconds(1))).isFalse();
    assertThat(memory.acked(lease(7, T0.plusSeconds(30)), T0.plusSeconds(91))).isFalse();
  }

  @Test
  void acked_shortLease_isRememberedAtLeastTheLeastTime() {
    memory.remember(lease(1, T0.plusSeconds(1)), T0);

    assertThat(memory.acked(lease(1, T0.plusSeconds(1)), T0.plusSeconds(9))).isTrue();
    assertThat(memory.acked(lease(1, T0.plusSeconds(1)), T0.plusSeconds(11))).isFalse();
  }

  @Test
  void remember_manyAcksLongAgo_forgetsThemWithoutBeingAsked() {
    for (long token = 1; token <= 100_000; token++) {
      memory.remember(lease(token, T0.plusSeconds(30)), T0);
    }

    Instant later = T0.plusSeconds(91);
    memory.remember(lease(100_001, later.plusSeconds(30)), later);

    // Only acks, never a repeated one: memory must still stay bounded by the ack rate.
    assertThat(memory.remembered()).isLessThanOrEqualTo(AckMemory.TOKENS_PER_BLOCK);
    assertThat(memory.acked(lease(100_001, later.plusSeconds(30)), later)).isTrue();
  }
}
