package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.core.task.TaskId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class StandInIdTest {

  @ParameterizedTest
  @ValueSource(
      doubles = {
        1,
        42,
        -3,
        0.1,
        1.5,
        1e15,
        1e300,
        -1e-300,
        Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY
      })
  void taskId_anyScore_isAValidTaskIdThatParsesBackToTheSameStandIn(double score) {
    StandInId standIn = StandInId.of("has space", score);

    TaskId id = standIn.taskId();

    assertThat(StandInId.parse(id)).contains(standIn);
    assertThat(standIn.standsFor("has space")).isTrue();
    assertThat(standIn.standsFor("has  space")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "t1",
        "invalid-id",
        "invalid-id:1",
        "invalid-id:1:0123",
        "invalid-id:x:0123456789abcdef",
        "invalid-id:NaN:0123456789abcdef",
        "invalid-id::0123456789abcdef"
      })
  void parse_otherShapes_isEmpty(String id) {
    assertThat(StandInId.parse(new TaskId(id))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ok-id", "a.b:c_d-1"})
  void standsFor_validTaskId_isFalse(String id) {
    assertThat(StandInId.of(id, 1).standsFor(id))
        .as("a valid id is never behind a stand-in")
        .isFalse();
  }
}
