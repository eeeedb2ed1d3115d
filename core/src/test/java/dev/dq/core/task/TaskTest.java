package dev.dq.core.task;

import static dev.dq.testing.TaskFixtures.aTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.testing.TaskFixtures;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class TaskTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "email.send", "Billing:Invoice-v2", "x_y", "0"})
  void builder_validType_accepted(String type) {
    assertThat(Task.builder(type).createdAt(TaskFixtures.EPOCH).build().type()).isEqualTo(type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "ümlaut", "semi;colon", "slash/"})
  void builder_invalidType_throwsNamingValue(String type) {
    assertThatThrownBy(() -> Task.builder(type))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageStartingWith("task type must be 1..128 characters of [A-Za-z0-9._:-]")
        .hasMessageContaining("\"" + type + "\"");
  }

  @Test
  void builder_typeOf129Chars_throwsWithAbbreviatedValue() {
    String type = "t".repeat(129);

    assertThatThrownBy(() -> Task.builder(type))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageContaining("t".repeat(61) + "...");
    assertThat(Task.builder("t".repeat(128))).isNotNull();
  }

  @Test
  void builder_nullType_throws() {
    assertThatThrownBy(() -> Task.builder(null))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("task type must not be null");
  }

  @Test
  void builder_invalidQueue_throwsNamingQueue() {
    assertThatThrownBy(() -> aTask("t1").queue("no queue"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageStartingWith("queue must be");
  }

  @Test
  void build_noId_generatesUniqueIds() {
    Set<TaskId> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(Task.builder("test").createdAt(TaskFixtures.EPOCH).build().id());
    }

    assertThat(ids).hasSize(10_000);
  }

  @Test
  void build_noCreatedAt_throwsIllegalState() {
    assertThatThrownBy(() -> Task.builder("test").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("createdAt");
  }

  @Test
  void payload_callerMutatesArrays_taskUnchanged() {
    byte[] input = "abc".getBytes(StandardCharsets.UTF_8);
    Task task = aTask("t1").payload(input).build();

    input[0] = 'X';
    byte[] output = task.payload().bytes();
    output[1] = 'Y';

    assertThat(task.payload().asUtf8()).isEqualTo("abc");
  }

  @Test
  void payload_sameBytes_equalAcrossCopies() {
    Payload payload = Payload.of(new byte[] {1, 2});

    assertThat(payload)
        .isEqualTo(Payload.of(new byte[] {1, 2}))
        .hasSameHashCodeAs(Payload.of(new byte[] {1, 2}));
    assertThat(aTask("t1").payload("x").build()).isEqualTo(aTask("t1").payload("x").build());
  }

  @Test
  void payload_overLimit_messageNamesSizesAndId() {
    TaskLimits limits = TaskLimits.DEFAULT.withMaxPayloadBytes(10);

    assertThatThrownBy(() -> aTask("big-7").limits(limits).payload(new byte[11]).build())
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("task big-7: payload of 11 bytes exceeds the limit of 10 bytes");
  }

  @Test
  void payload_atLimit_accepted() {
    TaskLimits limits = TaskLimits.DEFAULT.withMaxPayloadBytes(10);

    assertThat(aTask("t1").limits(limits).payload(new byte[10]).build().payload().size())
        .isEqualTo(10);
  }

  @Test
  void headers_moreThanLimit_throwsNamingCountAndId() {
    Task.Builder builder = aTask("h1");
    for (int i = 0; i < 33; i++) {
      builder.header("k" + i, "v");
    }

    assertThatThrownBy(builder::build)
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("task h1: 33 headers exceed the limit of 32");
  }

  @Test
  void headers_valueOverByteLimit_throwsNamingHeader() {
    String value = "é".repeat(513); // 1,026 UTF-8 bytes but only 513 chars: the limit is in bytes

    assertThatThrownBy(() -> aTask("h1").header("trace", value).build())
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("task h1: header \"trace\" exceeds 1024 bytes");
  }

  @Test
  void headers_emptyKeyOrNullValue_throws() {
    assertThatThrownBy(() -> aTask("h1").header("", "v").build())
        .isInstanceOf(InvalidTaskException.class);
    assertThatThrownBy(() -> aTask("h1").header("k", null).build())
        .isInstanceOf(InvalidTaskException.class);
  }

  @Test
  void headers_sourceMapChanged_taskUnchangedAndUnmodifiable() {
    Map<String, String> source = new HashMap<>(Map.of("k", "v"));
    Task task =
        new Task(new TaskId("t1"), "default", "test", Payload.EMPTY, source, TaskFixtures.EPOCH, 1);

    source.put("k2", "v2");

    assertThat(task.headers()).containsExactly(Map.entry("k", "v"));
    assertThatThrownBy(() -> task.headers().put("x", "y"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void headers_keepInsertionOrder() {
    Task task = aTask("t1").header("b", "1").header("a", "2").header("c", "3").build();

    assertThat(task.headers().keySet()).containsExactly("b", "a", "c");
  }

  @Test
  void attempt_belowOne_throws() {
    assertThatThrownBy(() -> aTask("t1").attempt(0))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("attempt must be >= 1: 0");
    Task task = aTask("t1").build();
    assertThatThrownBy(() -> task.withAttempt(0))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("task t1: attempt must be >= 1: 0");
  }

  @Test
  void withAttempt_changesOnlyAttempt() {
    Task task = aTask("t1").payload("p").header("k", "v").build();

    Task next = task.withAttempt(2);

    assertThat(next.attempt()).isEqualTo(2);
    assertThat(next.withAttempt(1)).isEqualTo(task);
  }

  @Test
  void toBuilder_roundTrip_equalTask() {
    Task task = aTask("t1").queue("q").payload("p").header("k", "v").attempt(3).build();

    assertThat(task.toBuilder().build()).isEqualTo(task);
  }

  @Test
  void priority_notSet_isDefaultFive() {
    Task task = aTask("t1").build();

    assertThat(task.priority()).isEqualTo(Task.DEFAULT_PRIORITY).isEqualTo(5);
    assertThat(
            new Task(
                new TaskId("t1"), "default", "test", Payload.EMPTY, Map.of(), task.createdAt(), 1))
        .isEqualTo(task);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 10, 42, Integer.MIN_VALUE})
  void priority_outOfRange_throwsNamingValue(int priority) {
    assertThatThrownBy(() -> aTask("t1").priority(priority))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("priority must be 0..9: " + priority);
    Task task = aTask("t1").build();
    assertThatThrownBy(
            () ->
                new Task(
                    task.id(),
                    task.queue(),
                    task.type(),
                    task.payload(),
                    task.headers(),
                    task.createdAt(),
                    1,
                    priority))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessage("task t1: priority must be 0..9: " + priority);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, 9})
  void priority_inRange_keptByWithAttemptAndToBuilder(int priority) {
    Task task = aTask("t1").priority(priority).build();

    assertThat(task.priority()).isEqualTo(priority);
    assertThat(task.withAttempt(3).priority()).isEqualTo(priority);
    assertThat(task.toBuilder().build()).isEqualTo(task);
  }

  @Test
  void taskId_invalid_throwsNamingValue() {
    assertThatThrownBy(() -> new TaskId("a b"))
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageStartingWith("task id must be");
    assertThat(TaskId.random()).isNotEqualTo(TaskId.random());
  }
}
