package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 7: Redis at {@code maxmemory} refuses new work; {@code dq publish} used to call that "broker
 * unavailable". It must say that Redis is out of memory and how to fix it.
 */
final class OutOfMemoryIT extends WithRedis {

  @AfterEach
  void liftTheLimit() {
    redis.dropFillers();
    redis.admin().configSet("maxmemory", "0");
  }

  @Test
  void publish_redisAtMaxmemory_exits1WithALineNamingMemoryAndTheFix() throws Exception {
    redis.admin().configSet("maxmemory-policy", "noeviction");
    redis.admin().configSet("maxmemory", Long.toString(broker.usedMemoryBytes() + 4 * 1024 * 1024));
    redis.fillToMaxmemory();

    Dq.Result r = Dq.run(env(), "publish", "--type", "echo", "--payload", "hi", "--timeout", "1s");

    assertThat(r.code()).as("stderr: %s", r.err()).isEqualTo(1);
    String line = r.err().lines().filter(l -> l.startsWith("dq: ")).findFirst().orElseThrow(
        () -> new AssertionError("no dq: line in\n" + r.err()));
    assertThat(line).contains("lack of memory", "maxmemory", "noeviction", "nothing was published")
        .doesNotContain("broker unavailable");
    assertThat(r.out()).isEmpty();
    redis.dropFillers();
    assertThat(broker.stats("default").ready()).isZero();
  }
}
