package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/** Entries written straight into Redis that are not valid tasks. */
final class PoisonEntryIT {
  @RegisterExtension static final TestRedis redis = TestRedis.plain();
  static final RedisKeys KEYS = RedisKeys.of("default");

  @BeforeEach
  void resetTripwire() {
    Tripwire.deserialized = false;
  }

  /** Would flip the flag if anything ever deserialized it. */
  static final class Tripwire implements Serializable {
    private static final long serialVersionUID = 1L;
    static volatile boolean deserialized;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      in.defaultReadObject();
      deserialized = true;
    }
  }

  @Test
  void poisonEntries_areDeadLetteredWithReason_andOtherTasksFlow() throws Exception {
    RedisClient raw = redis.admin();
    try (RedisBroker broker = redis.broker(1000)) {
      int good = 0;
      broker.enqueue(goodTask(good++), Duration.ZERO);
      writeRaw(raw, "bad-json", "{\"v\":1,\"id\":\"bad-json\",".getBytes(StandardCharsets.UTF_8));
      broker.enqueue(goodTask(good++), Duration.ZERO);
      writeRaw(raw, "java-blob", javaSerialized(new Tripwire()));
      broker.enqueue(goodTask(good++), Duration.ZERO);
      writeRaw(
          raw,
          "huge",
          ("{\"v\":1,\"id\":\"huge\",\"queue\":\"default\",\"type\":\"x\",\"payload_b64\":\""
                  + "A".repeat(3 << 20)
                  + "\",\"headers\":{},\"created_at_ms\":0,\"attempt\":1}")
              .getBytes(StandardCharsets.UTF_8));
      broker.enqueue(goodTask(good++), Duration.ZERO);
      writeRaw(raw, "v99", "{\"v\":99,\"id\":\"v99\"}".getBytes(StandardCharsets.UTF_8));
      writeRaw(
          raw,
          "wrong-fields",
          ("{\"v\":1,\"id\":\"wrong-fields\",\"queue\":\"default\",\"type\":42,"
                  + "\"payload_b64\":\"\",\"created_at_ms\":0,\"attempt\":1}")
              .getBytes(StandardCharsets.UTF_8));
      raw.rpush(KEYS.ready(), "no-hash");
      broker.enqueue(goodTask(good++), Duration.ZERO);

      List<String> delivered = new ArrayList<>();
      Optional<Lease> lease;
      while ((lease = broker.dequeue("default", Duration.ofSeconds(30), Duration.ZERO))
          .isPresent()) {
        delivered.add(lease.get().task().id().value());
        broker.ack(lease.get());
      }

      Map<String, DeadLetter> dead =
          broker.deadLetterQueue().list("default", 0, 100).stream()
              .collect(Collectors.toMap(d -> d.task().id().value(), d -> d));
      dead.forEach(
          (id, d) ->
              System.out.printf(
                  "FAULT poison %-12s -> %s: %s%n",
                  id, d.failure().errorType(), d.failure().message()));
      new Figures(
              "poison-entries",
              good + 6,
              delivered.size(),
              dead.size(),
              good - delivered.size(),
              0,
              null)
          .print();
      assertThat(delivered).containsExactly("good0", "good1", "good2", "good3", "good4");
      assertThat(dead)
          .containsOnlyKeys("bad-json", "java-blob", "huge", "v99", "wrong-fields", "no-hash");
      assertThat(dead.values())
          .allSatisfy(
              d -> {
                assertThat(d.failure().errorType()).isEqualTo("dq.undecodable");
                assertThat(d.task().type()).isEqualTo(RedisDeadLetterQueue.UNDECODABLE_TYPE);
              });
      assertThat(dead.get("bad-json").failure().message()).startsWith("not JSON");
      assertThat(dead.get("java-blob").failure().message()).startsWith("not JSON");
      assertThat(dead.get("huge").failure().message()).contains("exceeds the limit");
      assertThat(dead.get("v99").failure().message()).contains("unknown format version 99");
      assertThat(dead.get("wrong-fields").failure().message()).contains("type");
      assertThat(dead.get("no-hash").failure().message()).isEqualTo("no task data for this id");
      assertThat(broker.poisonCount()).isEqualTo(6);
      assertThat(Tripwire.deserialized).isFalse();
      assertThat(broker.stats("default").inFlight()).isZero();
    }
  }

  /**
   * Bad entries in the middle of a claimed batch (an id with no data, one with empty data, one too
   * large) are dead-lettered each with its reason by the claim itself, and their neighbours in the
   * same batch run.
   */
  @Test
  void dequeueBatch_badEntriesAmongGoodOnes_deadLettersEachWithReason_andItsNeighboursRun()
      throws Exception {
    RedisClient raw = redis.admin();
    try (RedisBroker broker = redis.broker(1000)) {
      raw.rpush(KEYS.ready(), "no-data");
      broker.enqueue(goodTask(0), Duration.ZERO);
      writeRaw(raw, "empty", new byte[0]);
      broker.enqueue(goodTask(1), Duration.ZERO);
      writeRaw(raw, "too-large", "x".repeat((3 << 20) + 1).getBytes(StandardCharsets.UTF_8));
      broker.enqueue(goodTask(2), Duration.ZERO);

      List<String> delivered = new ArrayList<>();
      List<Lease> batch;
      while (!(batch = broker.dequeueBatch("default", 8, Duration.ofSeconds(30), Duration.ZERO))
          .isEmpty()) {
        batch.forEach(l -> delivered.add(l.task().id().value()));
        assertThat(broker.ackAll(batch)).isEmpty();
      }

      assertThat(delivered).containsExactly("good0", "good1", "good2");
      Map<String, DeadLetter> dead =
          broker.deadLetterQueue().list("default", 0, 100).stream()
              .collect(Collectors.toMap(d -> d.task().id().value(), d -> d));
      assertThat(dead).containsOnlyKeys("no-data", "empty", "too-large");
      assertThat(dead.values())
          .allSatisfy(d -> assertThat(d.failure().errorType()).isEqualTo("dq.undecodable"));
      assertThat(dead.get("no-data").failure().message()).isEqualTo("no task data for this id");
      assertThat(dead.get("empty").failure().message()).isEqualTo("no task data for this id");
      assertThat(dead.get("too-large").failure().message()).contains("exceeds the limit");
      assertThat(broker.poisonCount()).isEqualTo(3);
      assertThat(broker.stats("default").inFlight()).isZero();
    }
  }

  @Test
  void deadLetterQueue_poisonEntry_canBeDeleted() throws Exception {
    writeRaw(redis.admin(), "bad", "garbage".getBytes(StandardCharsets.UTF_8));
    try (RedisBroker broker = redis.broker(1000)) {
      assertThat(broker.dequeue("default", Duration.ofSeconds(30), Duration.ZERO)).isEmpty();

      assertThat(broker.deadLetterQueue().size("default")).isEqualTo(1);
      assertThat(broker.deadLetterQueue().purge("default")).isEqualTo(1);
      assertThat(redis.admin().hexists(KEYS.tasks(), "bad")).isFalse();
    }
  }

  private static Task goodTask(int i) {
    return Task.builder("work").id("good" + i).payload("ok").createdAt(Instant.EPOCH).build();
  }

  private static void writeRaw(RedisClient raw, String id, byte[] data) {
    raw.hset(
        KEYS.tasks().getBytes(StandardCharsets.UTF_8), id.getBytes(StandardCharsets.UTF_8), data);
    raw.rpush(KEYS.ready(), id);
  }

  private static byte[] javaSerialized(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }
}
