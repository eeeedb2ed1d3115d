package dev.dq.core.retry;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.ReservedHeaders;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

final class RetryPolicyTest {
  private final SplittableRandom random = new SplittableRandom(42);

  @Test
  void default_threeAttemptsWithDefaultBackoff() {
    RetryPolicy policy = RetryPolicy.DEFAULT;

    assertThat(policy.maxAttempts("anything")).isEqualTo(3);
    assertThat(policy.retryDelay(attempt(1), random)).contains(Duration.ofMillis(50));
    assertThat(policy.retryDelay(attempt(2), random)).contains(Duration.ofMillis(100));
  }

  @Test
  void retryDelay_lastAttempt_isEmpty() {
    assertThat(RetryPolicy.DEFAULT.retryDelay(attempt(3), random)).isEmpty();
    assertThat(RetryPolicy.DEFAULT.retryDelay(attempt(4), random)).isEmpty();
  }

  @Test
  void retryDelay_maxAttemptsOne_neverRetries() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(1).build();

    assertThat(policy.retryDelay(attempt(1), random)).isEmpty();
  }

  @Test
  void retryDelay_typeOverride_usesOverrideOnlyForThatType() {
    Backoff fixed = (failedAttempt, r) -> Duration.ofSeconds(7);
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(2).forType("email", 5, fixed).build();
    Task email =
        Task.builder("email").id("e1").createdAt(attempt(1).createdAt()).attempt(4).build();

    assertThat(policy.maxAttempts("email")).isEqualTo(5);
    assertThat(policy.maxAttempts("test")).isEqualTo(2);
    assertThat(policy.retryDelay(email, random)).contains(Duration.ofSeconds(7));
    assertThat(policy.retryDelay(email.withAttempt(5), random)).isEmpty();
    assertThat(policy.retryDelay(attempt(2), random)).isEmpty();
  }

  @Test
  void builder_customBackoff_usedForEveryType() {
    RetryPolicy policy =
        RetryPolicy.builder()
            .backoff((failedAttempt, r) -> Duration.ofMillis(failedAttempt))
            .build();

    assertThat(policy.retryDelay(attempt(2), random)).contains(Duration.ofMillis(2));
  }

  @Test
  void builder_badValues_rejectedAtOnce() {
    assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1: 0");
    assertThatThrownBy(() -> RetryPolicy.builder().forType("email", 0, ExponentialBackoff.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts must be >= 1: 0");
    assertThatThrownBy(
            () -> RetryPolicy.builder().forType("bad type", 3, ExponentialBackoff.DEFAULT))
        .isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> RetryPolicy.builder().backoff(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("backoff");
  }

  private static Task attempt(int attempt) {
    return aTask("t1").attempt(attempt).build();
  }

  @Test
  void retryDelay_taskHeader_overridesTheTypesAttempts() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(2).build();
    Task five = aTask("h1").header(ReservedHeaders.MAX_ATTEMPTS, "5").attempt(4).build();
    Task one = aTask("h2").header(ReservedHeaders.MAX_ATTEMPTS, "1").build();

    assertThat(policy.retryDelay(five, random)).isPresent();
    assertThat(policy.retryDelay(five.withAttempt(5), random)).isEmpty();
    assertThat(policy.retryDelay(one, random)).as("the pool would retry it").isEmpty();
  }

  @Test
  void retryDelay_malformedTaskHeader_usesThePolicy() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(2).build();
    Task bad = aTask("h3").header(ReservedHeaders.MAX_ATTEMPTS, "0").build();

    assertThat(policy.retryDelay(bad, random)).isPresent();
    assertThat(policy.retryDelay(bad.withAttempt(2), random)).isEmpty();
  }
}
