package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterPage;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.TaskNotFoundException;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.TaskId;
import dev.dq.testing.BrokerAndDeadLetters;
import dev.dq.testing.DeadLetterQueueContract;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;

/**
 * {@link RedisDeadLetterQueue} passes the shared contract, and copes with dead entries written
 * straight into Redis that dq itself never writes: ids that are not valid task ids, and scores
 * shared by many entries.
 */
final class RedisDeadLetterQueueIT extends DeadLetterQueueContract {
  static final RedisKeys KEYS = RedisKeys.of(QUEUE);
  static final String FAILURE =
      "{\"error_type\":\"hand\",\"message\":\"written by hand\",\"attempts\":1,"
          + "\"failed_at_ms\":1767225600000}";
  static final String SPACED = "has space";
  static final String LONG = "x".repeat(300);
  @RegisterExtension // create flushes it, also for the pair useCapacity makes mid-test
  static final TestRedis redis = TestRedis.plain().keepingData();

  @Override
  protected BrokerAndDeadLetters create(InstantSource clock, int capacityPerQueue) {
    redis.flushAll();
    RedisBroker broker = redis.broker(clock, capacityPerQueue);
    return new BrokerAndDeadLetters(broker, broker.deadLetterQueue());
  }

  @Test
  void invalidIds_areListedUnderIdsThatShowAndDeleteTheEntry() {
    writeDead(SPACED, 1, "{\"v\":1}");
    writeDead(LONG, 2, "not json");

    List<DeadLetter> listed = deadLetters.list(QUEUE, 0, 10);

    assertThat(listed).hasSize(2);
    TaskId spaced = listed.get(0).task().id();
    TaskId longId = listed.get(1).task().id();
    assertThat(spaced).isNotEqualTo(longId);
    assertThat(listed)
        .allSatisfy(
            d -> assertThat(d.task().type()).isEqualTo(RedisDeadLetterQueue.UNDECODABLE_TYPE));
    assertThat(listed.get(0).task().headers())
        .containsEntry(RedisDeadLetterQueue.RAW_ID_HEADER, SPACED);
    assertThat(listed.get(1).task().headers().get(RedisDeadLetterQueue.RAW_ID_HEADER))
        .startsWith("xxxx");
    assertThat(listed.get(1).task().payload().asUtf8()).isEqualTo("not json");

    assertThat(deadLetters.get(QUEUE, spaced)).contains(listed.get(0));
    assertThat(deadLetters.get(QUEUE, longId)).contains(listed.get(1));

    assertThat(deadLetters.delete(QUEUE, spaced)).isTrue();
    assertThat(deadLetters.delete(QUEUE, spaced)).isFalse();
    assertThat(deadLetters.get(QUEUE, spaced)).isEmpty();
    assertThat(redis.admin().hexists(KEYS.tasks(), SPACED)).isFalse();
    assertThat(redis.admin().hexists(KEYS.failures(), SPACED)).isFalse();
    assertThat(redis.admin().zscore(KEYS.dead(), SPACED)).isNull();

    assertThat(deadLetters.delete(QUEUE, longId)).isTrue();
    assertThat(redis.admin().hexists(KEYS.tasks(), LONG)).isFalse();
    assertThat(deadLetters.size(QUEUE)).isZero();
  }

  @Test
  void invalidId_requeue_failsSayingWhyAndEntryStays() {
    writeDead(SPACED, 1, "{\"v\":1}");
    TaskId listed = deadLetters.list(QUEUE, 0, 1).get(0).task().id();

    assertThatThrownBy(() -> deadLetters.requeue(QUEUE, listed))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining(listed.value())
        .hasMessageContaining("\"" + SPACED + "\"")
        .hasMessageContaining("not a valid task id")
        .hasMessageContaining("delete");

    assertThat(deadLetters.size(QUEUE)).isEqualTo(1);
    assertThat(broker.stats(QUEUE).ready()).isZero();
  }

  @Test
  void invalidId_requeueAll_leavesItDeadAndMovesTheOthers() {
    writeDead(SPACED, 1, "{\"v\":1}");
    writeDead("fine", 2, "{\"v\":1}");

    assertThat(deadLetters.requeueAll(QUEUE)).isEqualTo(1);

    assertThat(deadLetters.list(QUEUE, 0, 10))
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.task().headers())
                    .containsEntry(RedisDeadLetterQueue.RAW_ID_HEADER, SPACED));
    assertThat(redis.admin().lrange(KEYS.ready(), 0, -1)).containsExactly("fine");
  }

  @Test
  void standInShapedId_withoutSuchEntry_isNotFound() {
    writeDead(SPACED, 1, "{\"v\":1}");
    String listed = deadLetters.list(QUEUE, 0, 1).get(0).task().id().value();
    TaskId otherScore = new TaskId(listed.replaceFirst(":1:", ":2:"));
    TaskId otherHash =
        new TaskId(listed.substring(0, listed.length() - 1) + (listed.endsWith("0") ? "1" : "0"));

    for (TaskId id : List.of(otherScore, otherHash)) {
      assertThat(deadLetters.get(QUEUE, id)).as(id.value()).isEmpty();
      assertThat(deadLetters.delete(QUEUE, id)).as(id.value()).isFalse();
      assertThatThrownBy(() -> deadLetters.requeue(QUEUE, id))
          .isInstanceOf(TaskNotFoundException.class);
    }
    assertThat(deadLetters.size(QUEUE)).isEqualTo(1);
  }

  @Test
  void manyEntriesSharingAScore_purgeAndRequeueAllTakeThemAll() {
    int n = DeadSnapshot.PAGE + 50;
    for (int i = 0; i < n; i++) {
      writeDead("same-" + i, 7, "{\"v\":1}");
    }
    writeDead("later", 8, "{\"v\":1}");

    assertThat(deadLetters.requeueAll(QUEUE)).isEqualTo(n + 1);
    assertThat(broker.stats(QUEUE).ready()).isEqualTo(n + 1);

    for (int i = 0; i < n; i++) {
      writeDead("again-" + i, 3, "{\"v\":1}");
    }
    assertThat(deadLetters.purge(QUEUE)).isEqualTo(n);
    assertThat(deadLetters.size(QUEUE)).isZero();
  }

  @Test
  void find_entriesSharingAScore_pagesReachEachOnce_andAFilteredPurgeTakesThemAll() {
    Set<String> written = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      writeDead("same-" + i, 7, "{\"v\":1,\"type\":\"hand\"}");
      written.add("same-" + i);
    }
    writeDead("later", 8, "{\"v\":1,\"type\":\"hand\"}");
    written.add("later");

    List<String> seen = new ArrayList<>();
    String cursor = DeadLetterQueue.FIRST;
    for (int steps = 0; steps < 30; steps++) {
      DeadLetterPage page = deadLetters.find(QUEUE, DeadLetterFilter.ALL, cursor, 4);
      page.entries()
          .forEach(
              d ->
                  seen.add(
                      d.task()
                          .headers()
                          .getOrDefault(
                              RedisDeadLetterQueue.RAW_ID_HEADER, d.task().id().value())));
      cursor = page.nextCursor();
      if (page.end()) {
        break;
      }
    }

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
    assertThat(
            deadLetters.purge(
                QUEUE, new DeadLetterFilter(null, "BY HAND"), deadLetters.mark(QUEUE)))
        .isEqualTo(26);
    assertThat(deadLetters.size(QUEUE)).isZero();
  }

  private static void writeDead(String id, double score, String data) {
    RedisClient raw = redis.admin();
    raw.hset(KEYS.tasks(), id, data);
    raw.hset(KEYS.failures(), id, FAILURE);
    raw.zadd(KEYS.dead(), score, id);
  }
}
