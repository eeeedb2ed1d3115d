package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code dq publish} and the shared failure paths, run as a user runs them, against real Redis. */
final class PublishIT extends WithRedis {

  @Test
  void publish_typeAndCount_printsIdsAndEnqueuesThem() throws Exception {
    Dq.Result r =
        Dq.run(
            env(),
            "publish",
            "--type",
            "echo",
            "--payload",
            "hi",
            "--count",
            "3",
            "--queue",
            "mail");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out().lines()).hasSize(3).allMatch(id -> id.matches("[0-9a-f-]{36}"));
    assertThat(broker.stats("mail").ready()).isEqualTo(3);
  }

  @Test
  void publish_jsonLinesOnStdin_quiet_printsCount() throws Exception {
    String stdin =
        "{\"type\":\"echo\",\"payload\":\"a\"}\n{\"type\":\"sleep\",\"payload\":\"10ms\",\"queue\":\"slow\"}\n";

    Dq.Result r = Dq.runWithInput(env(), stdin, "publish", "--quiet");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    assertThat(r.out().strip()).isEqualTo("published 2");
    assertThat(broker.stats("default").ready()).isEqualTo(1);
    assertThat(broker.stats("slow").ready()).isEqualTo(1);
  }

  @Test
  void publish_delay_tasksWaitDelayed() throws Exception {
    Dq.Result r = Dq.run(env(), "publish", "--type", "echo", "--delay", "1h", "--count", "2");

    assertThat(r.code()).as("stderr: %s", r.err()).isZero();
    assertThat(broker.stats("default").delayed()).isEqualTo(2);
  }

  @Test
  void publish_priority_taskIsTakenBeforeEarlierDefaultOnes() throws Exception {
    Dq.Result low = Dq.run(env(), "publish", "--type", "echo", "--count", "2");
    Dq.Result high = Dq.run(env(), "publish", "--type", "echo", "--priority", "9");
    Dq.Result bad = Dq.run(env(), "publish", "--type", "echo", "--priority", "10");

    assertThat(low.code()).as("stderr: %s", low.err()).isZero();
    assertThat(high.code()).as("stderr: %s", high.err()).isZero();
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err().lines()).singleElement().asString().contains("--priority", "10");
    var lease =
        broker
            .dequeue("default", java.time.Duration.ofSeconds(30), java.time.Duration.ZERO)
            .orElseThrow();
    assertThat(lease.task().id().value()).isEqualTo(high.out().strip());
    assertThat(lease.task().priority()).isEqualTo(9);
    broker.ack(lease);
    assertThat(broker.stats("default").ready()).isEqualTo(2);
  }

  @Test
  void publish_oversizedPayloadFile_exits1AndWritesNothing() throws Exception {
    Path big = Dq.tempFile("dq-big", new byte[(1 << 20) + 1]);

    Dq.Result r = Dq.run(env(), "publish", "--type", "echo", "--payload-file", big.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: --payload-file")
        .contains("exceed the payload limit", "nothing was published");
    assertThat(r.out()).isEmpty();
    assertThat(keysOtherThanTheDataModelMark()).as("nothing half-written").isZero();
  }

  @Test
  void publish_badLineAmongGoodOnes_exits1AndWritesNothing() throws Exception {
    String stdin = "{\"type\":\"echo\"}\n{\"type\":\"echo\"}\n{\"type\":\"no spaces allowed\"}\n";

    Dq.Result r = Dq.runWithInput(env(), stdin, "publish");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("dq: stdin line 3: task type must be", "nothing was published");
    assertThat(keysOtherThanTheDataModelMark()).isZero();
  }

  @Test
  void unreachableRedis_eachCommandExits1WithOneClearLine() throws Exception {
    Map<String, String> down =
        Map.of(
            "DQ_BROKER",
            "redis",
            "DQ_REDIS_URL",
            "redis://127.0.0.1:" + Dq.freePort(),
            "DQ_STARTUP_WAIT",
            "1s",
            "DQ_PUBLISH_TIMEOUT",
            "1s");

    for (String[] args :
        new String[][] {
          {"publish", "--type", "echo"}, {"stats"}, {"dlq", "list"}, {"run", "--metrics-port", "0"}
        }) {
      Dq.Result r = Dq.run(down, args);

      assertThat(r.code()).as("dq %s; stderr: %s", String.join(" ", args), r.err()).isEqualTo(1);
      assertThat(r.err().lines().filter(l -> l.startsWith("dq: ")))
          .as(String.join(" ", args))
          .singleElement()
          .asString()
          .startsWith("dq: broker unavailable");
      assertThat(r.err()).doesNotContain("\tat ");
    }
  }

  @Test
  void badRedisUrl_exits2NamingItWithoutEchoingThePassword() throws Exception {
    Dq.Result r =
        Dq.run(Map.of("DQ_BROKER", "redis", "DQ_REDIS_URL", "http://user:s3cret@host"), "stats");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: DQ_REDIS_URL")
        .doesNotContain("s3cret");
  }

  @Test
  void unknownCommandAndBadFlag_exit2WithOneLine() throws Exception {
    Dq.Result unknown = Dq.run(env(), "frobnicate");
    Dq.Result badFlag = Dq.run(env(), "publish", "--type", "echo", "--count", "many");

    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err().lines()).singleElement().asString().contains("frobnicate");
    assertThat(badFlag.code()).isEqualTo(2);
    assertThat(badFlag.err().lines()).singleElement().asString().contains("--count", "\"many\"");
    assertThat(keysOtherThanTheDataModelMark()).isZero();
  }
}
