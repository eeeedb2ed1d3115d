package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.ops.RunningTask;
import dev.dq.core.port.Broker;
import dev.dq.core.task.TaskId;
import dev.dq.testing.WorkerRegistryContract;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisBroker} passes the worker registry contract, plus the documented key format. */
final class RedisWorkerRegistryIT extends WorkerRegistryContract {
  @RegisterExtension static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected Broker createBroker(InstantSource clock) {
    redis.flushAll();
    return redis.broker(clock, 1_000);
  }

  @Test
  void entry_inTheDocumentedFormat_andTheKeyExpiresWithTheLastBeat() throws Exception {
    registry.heartbeat(status("h:1:ab", 1, List.of(new RunningTask("q", new TaskId("t9")))), TTL);

    String value = redis.admin().hget(RedisKeys.WORKERS, "h:1:ab");
    long now = clock.millis();
    assertThat(value).startsWith((now + TTL.toMillis()) + "|" + now + "|{");
    JsonNode json = new ObjectMapper().readTree(value.substring(value.indexOf('{')));
    assertThat(json.get("host").asText()).isEqualTo("host-a");
    assertThat(json.get("pid").asLong()).isEqualTo(12);
    assertThat(json.get("slots_total").asInt()).isEqualTo(8);
    assertThat(json.get("slots_busy").asInt()).isEqualTo(1);
    assertThat(json.get("running").get(0).get("id").asText()).isEqualTo("t9");
    assertThat(redis.admin().pttl(RedisKeys.WORKERS)).isBetween(1L, TTL.toMillis());
  }

  @Test
  void onTheServersClock_aProcessThatStopsBeating_disappearsAfterItsTtl() throws Exception {
    try (RedisBroker real = redis.broker(1_000)) {
      real.heartbeat(status("short-lived", 0, List.of()), Duration.ofMillis(300));
      real.heartbeat(status("long-lived", 0, List.of()), Duration.ofMinutes(1));
      assertThat(real.list()).hasSize(2);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> real.list().stream().map(w -> w.status().id()).toList(),
              List.of("long-lived")::equals);
      assertThat(redis.admin().hkeys(RedisKeys.WORKERS)).containsExactly("long-lived");
    }
  }

  @Test
  void beats_deleteExpiredEntries_evenIfNobodyLists() {
    for (int i = 0; i < 5; i++) {
      registry.heartbeat(status("dead-" + i, 0, List.of()), TTL);
    }
    clock.advance(TTL);
    for (int beat = 0; beat < 50 && redis.admin().hlen(RedisKeys.WORKERS) > 1; beat++) {
      registry.heartbeat(status("alive", 0, List.of()), TTL);
    }

    assertThat(redis.admin().hkeys(RedisKeys.WORKERS)).containsExactly("alive");
  }
}
