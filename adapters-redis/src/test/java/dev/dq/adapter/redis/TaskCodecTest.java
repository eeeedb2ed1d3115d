package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.adapter.redis.TaskCodec.UndecodableTaskException;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskLimits;
import java.time.Instant;
import org.junit.jupiter.api.Test;

final class TaskCodecTest {
  final TaskCodec codec = new TaskCodec(TaskLimits.DEFAULT);
  final Task task =
      Task.builder("email")
          .id("t1")
          .queue("mail")
          .payload(new byte[] {0, 1, (byte) 0xff})
          .header("tenant", "acme")
          .createdAt(Instant.ofEpochMilli(1_700_000_000_123L))
          .attempt(2)
          .build();

  @Test
  void encode_writesDocumentedFormat() {
    assertThat(codec.encode(task))
        .isEqualTo(
            "{\"v\":1,\"id\":\"t1\",\"queue\":\"mail\",\"type\":\"email\","
                + "\"payload_b64\":\"AAH/\",\"headers\":{\"tenant\":\"acme\"},\"created_at_ms\":1700000000123,\"attempt\":2}");
  }

  @Test
  void encode_priorityOtherThanDefault_addsItLast() {
    assertThat(codec.encode(task.toBuilder().priority(9).build()))
        .endsWith(",\"attempt\":2,\"priority\":9}");
    assertThat(codec.encode(task.toBuilder().priority(0).build())).endsWith(",\"priority\":0}");
    assertThat(codec.encode(task.toBuilder().priority(Task.DEFAULT_PRIORITY).build()))
        .doesNotContain("priority");
  }

  @Test
  void decode_priority_roundTripsAndDefaultsToFiveWhenAbsent() {
    Task urgent = task.toBuilder().priority(8).build();

    assertThat(codec.decode(codec.encode(urgent), "t1", "mail", "3"))
        .isEqualTo(urgent.withAttempt(3));
    assertThat(codec.decode(codec.encode(task), "t1", "mail", null).priority())
        .isEqualTo(Task.DEFAULT_PRIORITY);
  }

  @Test
  void decode_badPriority_throwsWithReason() {
    String json = codec.encode(task);
    String outOfRange = json.substring(0, json.length() - 1) + ",\"priority\":10}";

    assertThatThrownBy(() -> codec.decode(outOfRange, "t1", "mail", null))
        .isInstanceOf(UndecodableTaskException.class)
        .hasMessageContaining("priority must be 0..9: 10");
    assertThatThrownBy(
            () ->
                codec.decode(
                    json.replace("\"attempt\"", "\"priority\":\"high\",\"attempt\""),
                    "t1",
                    "mail",
                    null))
        .isInstanceOf(UndecodableTaskException.class)
        .hasMessage("field priority is not an int: \"high\"");
  }

  @Test
  void decode_ofEncoded_roundTrips() {
    assertThat(codec.decode(codec.encode(task), "t1", "mail", null)).isEqualTo(task);
  }

  @Test
  void decode_attemptField_overridesJson() {
    assertThat(codec.decode(codec.encode(task), "t1", "mail", "5").attempt()).isEqualTo(5);
  }

  @Test
  void decode_unknownFields_areIgnored() {
    String json = codec.encode(task).replace("{\"v\":1,", "{\"v\":1,\"future\":[1,2],");

    assertThat(codec.decode(json, "t1", "mail", null)).isEqualTo(task);
  }

  @Test
  void decode_badEntries_throwWithReason() {
    assertThatThrownBy(() -> codec.decode("{not json", "t1", "mail", null))
        .isInstanceOf(UndecodableTaskException.class)
        .hasMessageStartingWith("not JSON");
    assertThatThrownBy(
            () ->
                codec.decode(codec.encode(task).replace("\"v\":1", "\"v\":2"), "t1", "mail", null))
        .hasMessageContaining("unknown format version 2");
    assertThatThrownBy(() -> codec.decode(codec.encode(task), "t2", "mail", null))
        .hasMessageContaining("id field");
    assertThatThrownBy(() -> codec.decode(codec.encode(task), "t1", "other", null))
        .hasMessageContaining("queue");
    assertThatThrownBy(() -> codec.decode("[1]", "t1", "mail", null))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(
            () -> codec.decode(codec.encode(task).replace("AAH/", "!!"), "t1", "mail", null))
        .hasMessageContaining("base64");
    assertThatThrownBy(
            () ->
                codec.decode(
                    codec.encode(task).replace("\"email\"", "\"bad type\""), "t1", "mail", null))
        .hasMessageContaining("task type");
  }

  @Test
  void decode_payloadOverLimit_throws() {
    TaskCodec strict = new TaskCodec(TaskLimits.DEFAULT.withMaxPayloadBytes(2));

    assertThatThrownBy(() -> strict.decode(codec.encode(task), "t1", "mail", null))
        .isInstanceOf(UndecodableTaskException.class)
        .hasMessageContaining("exceeds the limit");
  }
}
