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

  /**
   * Entries whose JSON the scan script reads differently from Java, each with its type as Java
   * lists it: spaced or reordered keys, escapes, and data that carries a type but does not decode.
   */
  private void writeOddEntries() {
    deadLetters.add(entry(QUEUE, "api-mail", "email", "java.io.IOException", "smtp down"));
    deadLetters.add(entry(QUEUE, "api-sms", "sms", "Timeout", "gateway timed out"));
    String q = "\"queue\": \"" + QUEUE + "\"";
    String rest =
        "\"payload_b64\": \"aGk=\", \"headers\": {}, \"created_at_ms\": 0, \"attempt\": 1";
    writeDead( // Python's json.dumps: spaces after colons
        "spaced",
        3,
        "{\"v\": 1, \"id\": \"spaced\", " + q + ", \"type\": \"email\", " + rest + "}",
        "{\"error_type\": \"SMTPException\", \"message\": \"mailbox full\"}");
    writeDead( // a header named type comes first; the task's type last
        "reordered",
        4,
        "{\"headers\":{\"type\":\"sms\"},\"attempt\":1,\"created_at_ms\":0,\"payload_b64\":\"aGk=\","
            + "\"queue\":\""
            + QUEUE
            + "\",\"id\":\"reordered\",\"v\":1,\"type\":\"email\"}",
        "{\"error_type\":404,\"message\":\"Not Found\"}");
    writeDead(
        "escaped",
        5,
        "{\"v\":1,\"id\":\"escaped\"," + q + ",\"type\":\"em\\u0061il\"," + rest + "}",
        "{\"error_type\":\"java.io.IOException\",\"message\":\"smtp \\u0064own\"}");
    writeDead( // undecodable: unknown version, though it carries a type
        "wrong-v",
        6,
        "{\"v\":2,\"id\":\"wrong-v\"," + q + ",\"type\":\"email\"," + rest + "}",
        "not json at all");
    writeDead( // undecodable: the id field names another task
        "other-id",
        7,
        "{\"v\":1,\"id\":\"x\"," + q + ",\"type\":\"email\"," + rest + "}",
        "{\"error_type\":null,\"message\":[\"smtp down\"]}");
    writeDead("not-json", 8, "\"type\":\"email\" but not JSON", FAILURE);
    writeDead(
        "numbered", 9, "{\"v\":1,\"id\":\"numbered\"," + q + ",\"type\":5," + rest + "}", null);
    writeDead(
        SPACED,
        10,
        "{\"v\":1,\"id\":\"has space\"," + q + ",\"type\":\"email\"," + rest + "}",
        "{\"message\":\"down\"}");
  }

  @Test
  void find_oddEntries_matchesListFilteredInJava() {
    writeOddEntries();
    List<DeadLetter> all = deadLetters.list(QUEUE, 0, 100);
    assertThat(all).hasSize(10);

    for (DeadLetterFilter filter :
        List.of(
            new DeadLetterFilter("email", null),
            new DeadLetterFilter("sms", null),
            new DeadLetterFilter(RedisDeadLetterQueue.UNDECODABLE_TYPE, null),
            new DeadLetterFilter(null, "DOWN"),
            new DeadLetterFilter(null, "unknown"),
            new DeadLetterFilter(null, "not json"),
            new DeadLetterFilter(null, "404"),
            new DeadLetterFilter(null, "timed out"),
            new DeadLetterFilter("email", "down"),
            new DeadLetterFilter("5", null))) {
      List<DeadLetter> expected = all.stream().filter(filter::matches).toList();
      assertThat(deadLetters.find(QUEUE, filter, DeadLetterQueue.FIRST, 100).entries())
          .as("find %s", filter)
          .isEqualTo(expected);
      List<DeadLetter> paged = new ArrayList<>();
      String cursor = DeadLetterQueue.FIRST;
      for (int steps = 0; steps < 20; steps++) {
        DeadLetterPage page = deadLetters.find(QUEUE, filter, cursor, 1);
        paged.addAll(page.entries());
        cursor = page.nextCursor();
        if (page.end()) {
          break;
        }
      }
      assertThat(paged).as("pages of one, %s", filter).isEqualTo(expected);
    }
  }

  @Test
  void purge_byTypeOnOddEntries_deletesExactlyWhatFindShows() {
    writeOddEntries();
    List<DeadLetter> all = deadLetters.list(QUEUE, 0, 100);
    DeadLetterFilter email = new DeadLetterFilter("email", null);
    List<DeadLetter> shown = deadLetters.find(QUEUE, email, DeadLetterQueue.FIRST, 100).entries();
    assertThat(shown)
        .extracting(d -> d.task().id().value())
        .containsExactly("api-mail", "spaced", "reordered", "escaped");

    assertThat(deadLetters.purge(QUEUE, email, deadLetters.mark(QUEUE))).isEqualTo(shown.size());

    assertThat(deadLetters.list(QUEUE, 0, 100))
        .isEqualTo(all.stream().filter(d -> !shown.contains(d)).toList());
  }

  @Test
  void purge_undecodableType_deletesTheUndecodableOnly() {
    writeOddEntries();
    DeadLetterFilter undecodable =
        new DeadLetterFilter(RedisDeadLetterQueue.UNDECODABLE_TYPE, null);
    List<DeadLetter> shown =
        deadLetters.find(QUEUE, undecodable, DeadLetterQueue.FIRST, 100).entries();
    assertThat(shown).hasSize(5);

    assertThat(deadLetters.purge(QUEUE, undecodable, deadLetters.mark(QUEUE))).isEqualTo(5);

    assertThat(deadLetters.list(QUEUE, 0, 100))
        .extracting(d -> d.task().id().value())
        .containsExactly("api-mail", "api-sms", "spaced", "reordered", "escaped");
  }

  @Test
  void scanStep_stopsAtItsByteBudget_withAnExactCursor() {
    String data = "{\"v\":1,\"type\":\"email\",\"pad\":\"" + "x".repeat(300) + "\"}";
    for (int i = 1; i <= 10; i++) {
      writeDead("big-" + i, i, data);
    }
    long each = data.length();
    List<String> budget = List.of("", "", "email", "", "100", "1000", Long.toString(3 * each), "0");

    List<Object> first = scanStep(budget);
    List<Object> second = scanStep(RedisWorkers.text(first.get(2)), budget);

    assertThat(first.get(4)).as("entries looked at").isEqualTo(3L);
    assertThat(RedisWorkers.text(first.get(2))).isEqualTo("3");
    assertThat(first.get(3)).as("end").isEqualTo(0L);
    assertThat(first.subList(5, first.size()).stream().map(RedisWorkers::text).toList())
        .containsExactly("big-1", "1", "big-2", "2", "big-3", "3");
    assertThat(RedisWorkers.text(second.get(5))).isEqualTo("big-4");
    assertThat(RedisWorkers.text(second.get(2))).isEqualTo("6");
  }

  @Test
  void scanStep_entryAboveTheBudget_isStillLookedAtAlone() {
    writeDead("huge", 1, "{\"type\":\"email\",\"pad\":\"" + "x".repeat(2_000) + "\"}");
    writeDead("next", 2, "{\"type\":\"email\"}");

    List<Object> step = scanStep(List.of("", "", "email", "", "100", "1000", "100", "0"));

    assertThat(step.get(4)).isEqualTo(1L);
    assertThat(RedisWorkers.text(step.get(5))).isEqualTo("huge");
    assertThat(step.get(3)).as("end").isEqualTo(0L);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> scanStep(List<String> args) {
    return (List<Object>)
        redis
            .admin()
            .eval(
                Script.DLQ_SCAN.source(),
                List.of(KEYS.dead(), KEYS.tasks(), KEYS.failures(), KEYS.deadSeq()),
                args);
  }

  /** {@code args} with its cursor (the first) replaced. */
  private static List<Object> scanStep(String cursor, List<String> args) {
    List<String> withCursor = new ArrayList<>(args);
    withCursor.set(0, cursor);
    return scanStep(withCursor);
  }

  private static void writeDead(String id, double score, String data) {
    writeDead(id, score, data, FAILURE);
  }

  /** Writes a dead entry by hand; a null failure record is left out. */
  private static void writeDead(String id, double score, String data, String failure) {
    RedisClient raw = redis.admin();
    raw.hset(KEYS.tasks(), id, data);
    if (failure != null) {
      raw.hset(KEYS.failures(), id, failure);
    }
    raw.zadd(KEYS.dead(), score, id);
  }
}
