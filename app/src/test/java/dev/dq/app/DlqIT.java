package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code dq dlq ...} against real Redis, on dead letters made through the broker port. */
final class DlqIT extends WithRedis {
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void threeDeadLetters() throws Exception {
    for (String id : new String[] {"d-1", "d-2", "d-3"}) {
      kill("fail", id, "boom " + id);
    }
  }

  private void kill(String type, String id, String message) throws Exception {
    broker.enqueue(
        Task.builder(type).id(id).payload("payload of " + id).createdAt(Instant.now()).build(),
        Duration.ofSeconds(5));
    Lease lease =
        broker.dequeue("default", Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow();
    broker.deadLetter(
        lease, new Failure("java.lang.IllegalStateException", message, 3, Instant.now()));
  }

  @Test
  void filtered_listRequeueAndPurge_actOnMatchesUpToTheMark() throws Exception {
    kill("mail", "m-1", "smtp down");
    Dq.Result list = Dq.run(env(), "dlq", "list", "--error", "BOOM D-2", "--json");
    JsonNode page = json.readTree(list.out());
    kill("fail", "d-4", "boom d-2 again, after the list");

    Dq.Result requeued =
        Dq.run(
            env(),
            "dlq",
            "requeue",
            "--all",
            "--error",
            "boom d-2",
            "--mark",
            page.path("mark").asText());
    Dq.Result purged = Dq.run(env(), "dlq", "purge", "--type", "mail");
    Dq.Result badMark = Dq.run(env(), "dlq", "purge", "--mark", "garbage");

    assertThat(list.code()).as("stderr: %s", list.err()).isZero();
    assertThat(page.path("entries").findValuesAsText("id")).containsExactly("d-2");
    assertThat(requeued.out().strip()).isEqualTo("requeued 1");
    assertThat(purged.out().strip()).isEqualTo("purged 1");
    assertThat(badMark.code()).isEqualTo(2);
    assertThat(badMark.err().lines()).singleElement().asString().startsWith("dq: --mark: ");
    assertThat(broker.deadLetterQueue().list("default", 0, 10))
        .extracting(d -> d.task().id().value())
        .containsExactly("d-1", "d-3", "d-4");
    assertThat(Dq.run(env(), "dlq", "list", "--type", "fail", "--limit", "2").out())
        .contains("2 matches among 2 scanned of 3 dead letters in queue default")
        .contains("next: --cursor ");
  }

  @Test
  void list_json_showsEveryEntryOldestFirst() throws Exception {
    Dq.Result r = Dq.run(env(), "dlq", "list", "--json");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    JsonNode list = json.readTree(r.out());
    assertThat(list.path("total").asLong()).isEqualTo(3);
    assertThat(list.path("entries").findValuesAsText("id")).containsExactly("d-1", "d-2", "d-3");
    assertThat(list.path("entries").get(0).path("error_type").asText())
        .isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void list_text_isATable() throws Exception {
    Dq.Result r = Dq.run(env(), "dlq", "list", "--limit", "2");

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("ID", "TYPE", "ATTEMPTS", "d-1", "d-2", "boom d-1", "2 of 3 dead letters")
        .doesNotContain("d-3");
  }

  @Test
  void show_printsThePayload_andMissingIdExits1() throws Exception {
    Dq.Result shown = Dq.run(env(), "dlq", "show", "d-2", "--json");
    Dq.Result missing = Dq.run(env(), "dlq", "show", "nope");

    assertThat(shown.code()).isZero();
    assertThat(json.readTree(shown.out()).path("payload").asText()).isEqualTo("payload of d-2");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err().lines())
        .singleElement()
        .asString()
        .isEqualTo("dq: no dead letter nope in queue default");
  }

  @Test
  void requeueOne_thenDelete_thenRequeueAll_thenPurge() throws Exception {
    assertThat(Dq.run(env(), "dlq", "requeue", "d-1").out().strip()).isEqualTo("requeued d-1");
    assertThat(broker.stats("default").ready()).isEqualTo(1);
    assertThat(broker.deadLetterQueue().size("default")).isEqualTo(2);

    assertThat(Dq.run(env(), "dlq", "delete", "d-2", "--json").out().strip())
        .isEqualTo("{\"deleted\":[\"d-2\"]}");
    assertThat(Dq.run(env(), "dlq", "delete", "d-2").code()).as("already gone").isEqualTo(1);

    assertThat(Dq.run(env(), "dlq", "requeue", "--all").out().strip()).isEqualTo("requeued 1");
    assertThat(broker.stats("default").ready()).isEqualTo(2);
    assertThat(broker.deadLetterQueue().size("default")).isZero();

    Lease lease =
        broker.dequeue("default", Duration.ofSeconds(30), Duration.ofSeconds(5)).orElseThrow();
    broker.deadLetter(lease, new Failure("E", "again", 1, Instant.now()));
    assertThat(Dq.run(env(), "dlq", "purge", "--json").out().strip()).isEqualTo("{\"purged\":1}");
    assertThat(broker.deadLetterQueue().size("default")).isZero();
  }

  @Test
  void entryStoredUnderAnInvalidId_listedIdShowsAndDeletesIt_requeueSaysWhyNot() throws Exception {
    String stored = "has space";
    redis.admin().hset("dq:{default}:tasks", stored, "garbage");
    redis
        .admin()
        .hset(
            "dq:{default}:failures",
            stored,
            "{\"error_type\":\"hand\",\"message\":\"written by hand\",\"attempts\":1,\"failed_at_ms\":0}");
    redis.admin().zadd("dq:{default}:dead", 100, stored);

    JsonNode listed = json.readTree(Dq.run(env(), "dlq", "list", "--json").out());
    assertThat(listed.path("total").asLong()).isEqualTo(4);
    String id = listed.path("entries").get(3).path("id").asText();
    assertThat(id).isNotEqualTo(stored).doesNotContain(" ");

    Dq.Result shown = Dq.run(env(), "dlq", "show", id, "--json");
    assertThat(shown.code()).as("stderr: %s", shown.err()).isZero();
    JsonNode entry = json.readTree(shown.out());
    assertThat(entry.path("id").asText()).isEqualTo(id);
    assertThat(entry.path("type").asText()).isEqualTo("dq.undecodable");
    assertThat(entry.path("headers").path("dq.raw-id").asText()).isEqualTo(stored);
    assertThat(entry.path("payload").asText()).isEqualTo("garbage");

    Dq.Result requeued = Dq.run(env(), "dlq", "requeue", id);
    assertThat(requeued.code()).isEqualTo(1);
    assertThat(requeued.err().lines())
        .singleElement()
        .asString()
        .startsWith(
            "dq: dead letter "
                + id
                + " of queue default is stored under \"has space\", which is not a valid "
                + "task id")
        .contains("cannot be requeued");

    Dq.Result rawId = Dq.run(env(), "dlq", "show", stored);
    assertThat(rawId.code()).isEqualTo(2);
    assertThat(rawId.err())
        .contains("listed by dq dlq list under an id that works here", "\"has space\"");

    Dq.Result deleted = Dq.run(env(), "dlq", "delete", id);
    assertThat(deleted.code()).as("stderr: %s", deleted.err()).isZero();
    assertThat(deleted.out().strip()).isEqualTo("deleted " + id);
    assertThat(redis.admin().hexists("dq:{default}:tasks", stored)).isFalse();
    assertThat(broker.deadLetterQueue().size("default")).isEqualTo(3);
    assertThat(Dq.run(env(), "dlq", "show", id).code()).as("gone").isEqualTo(1);
  }

  @Test
  void requeueAll_whileRunFailsTasksAgain_requeuesEachEntryPresentAtStartOnceAndEnds()
      throws Exception {
    broker.deadLetterQueue().purge("default");
    int tasks = 200;
    Map<String, String> env = env("DQ_LOG_FORMAT", "json", "DQ_METRICS_PORT", "0");
    try (Dq.Running run = Dq.Running.start(env, "run")) {
      Dq.Result published =
          Dq.run(env(), "publish", "--type", "fail", "--count", "" + tasks, "--quiet");
      assertThat(published.code()).as("stderr: %s", published.err()).isZero();
      await().atMost(Dq.PATIENCE).until(() -> broker.deadLetterQueue().size("default") == tasks);

      // The worker fails every requeued task at once, so entries die again while the command still
      // runs.
      Dq.Result requeued = Dq.run(env(), "dlq", "requeue", "--all");

      assertThat(requeued.code()).as("stderr: %s", requeued.err()).isZero();
      assertThat(requeued.out().strip()).isEqualTo("requeued " + tasks);
      await()
          .atMost(Dq.PATIENCE)
          .until(
              () ->
                  broker.deadLetterQueue().size("default") == tasks
                      && broker.stats("default").ready() + broker.stats("default").inFlight() == 0);
      assertThat(run.terminate()).as("stderr:%n%s", run.errText()).isZero();
      Map<String, Long> runs = new HashMap<>();
      for (String line : run.err) {
        JsonNode n = json.readTree(line);
        if (n.path("message").asText().startsWith("started after")) {
          runs.merge(n.path("task_id").asText(), 1L, Long::sum);
        }
      }
      assertThat(runs)
          .as("runs per task: the first failure, then one after the requeue")
          .hasSize(tasks)
          .allSatisfy((id, n) -> assertThat(n).as("runs of %s", id).isEqualTo(2));
    }
  }
}
