package dev.dq.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.app.config.Setting.Rule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** The converters of setting rows: each rule's range, blank values, and the flag in the error. */
final class SettingTest {
  static final class Level extends Setting<Integer> {
    Level() {
      super("DQ_LEVEL", "3", Rule.wholeNumber(1, 10));
    }
  }

  static final class Wait extends Setting<Duration> {
    Wait() {
      super("DQ_WAIT", "2s", Rule.duration(Duration.ofMillis(100), Duration.ofHours(1)));
    }
  }

  static final class Name extends Setting<String> {
    Name() {
      super("DQ_NAME", "default", Rule.queueName("a queue name"));
    }
  }

  @Command(name = "t")
  static final class Options {
    @Option(
        names = {"-l", "--level"},
        converter = Level.class)
    int level;
  }

  @Test
  void wholeNumber_withinRange_isParsedTrimmed() {
    assertThat(new Level().convert(" 10 ")).isEqualTo(10);
    assertThat(new Level().convert("1")).isEqualTo(1);
  }

  @Test
  void wholeNumber_outOfRangeOrNotANumber_isRejectedWithTheRange() {
    for (String bad : new String[] {"0", "11", "1.5", "abc", "99999999999"}) {
      assertThatThrownBy(() -> new Level().convert(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class)
          .hasMessage("must be a whole number from 1 to 10");
    }
  }

  @Test
  void convert_blankValue_givesTheRowDefault() {
    assertThat(new Level().convert("  ")).isEqualTo(3);
    assertThat(new Wait().convert("")).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void duration_shortAndIsoForms_withinRange_areParsed() {
    assertThat(new Wait().convert("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(new Wait().convert("PT30S")).isEqualTo(Duration.ofSeconds(30));
    assertThat(new Wait().convert("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void duration_outOfRangeOrNotADuration_isRejectedWithTheRange() {
    for (String bad : new String[] {"99ms", "61m", "soon", "1y"}) {
      assertThatThrownBy(() -> new Wait().convert(bad))
          .as(bad)
          .isInstanceOf(TypeConversionException.class)
          .hasMessage("must be a duration from 100ms to 60m (e.g. 500ms, 30s, 5m)");
    }
  }

  @Test
  void queueName_followsCoresNamingRule() {
    assertThat(new Name().convert("emails.v2")).isEqualTo("emails.v2");
    assertThatThrownBy(() -> new Name().convert("a/b")).isInstanceOf(TypeConversionException.class);
  }

  @Test
  void message_rejectedFlag_namesTheLongestFlagAndQuotesTheValue() {
    CommandLine cl = new CommandLine(new Options());

    ParameterException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ParameterException.class, () -> cl.parseArgs("-l", "0\n"));

    assertThat(Setting.message(e))
        .isEqualTo("--level must be a whole number from 1 to 10, got \"0\\u000a\"");
  }

  @Test
  void message_otherParameterError_isNull() {
    CommandLine cl = new CommandLine(new Options());

    ParameterException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ParameterException.class, () -> cl.parseArgs("--frobnicate"));

    assertThat(Setting.message(e)).isNull();
  }

  @Test
  void row_knowsItsVariableAndDefault() {
    Level level = new Level();

    assertThat(level.variable()).isEqualTo("DQ_LEVEL");
    assertThat(level.defaultValue()).isEqualTo("3");
    assertThat(level.expected()).isEqualTo("a whole number from 1 to 10");
  }

  @Test
  void choice_isCaseInsensitive() {
    assertThat(Rule.choice(Set.of("text", "json")).parser().apply("Json")).isEqualTo("json");
  }

  @Test
  void decimal_outOfRange_isRejected() {
    Rule<Double> rate = Rule.decimal(0, 1);
    assertThat(rate.parser().apply("0.25")).isEqualTo(0.25);
    assertThat(rate.parser().apply("1.5")).isNull();
  }

  @Test
  void pair_typeEqualsValue_parsedAndBadPairNamed() {
    Rule<Map.Entry<String, Integer>> pair = Rule.pair(new Rule<>("N", Integer::parseInt));

    assertThat(
            Setting.asMap(List.of(pair.parser().apply("email=2"), pair.parser().apply("resize=1"))))
        .containsEntry("email", 2)
        .containsEntry("resize", 1);
    assertThat(pair.parser().apply("email")).isNull();
    assertThat(SettingResolver.bad("--concurrency", "email", pair.expected()))
        .hasMessage("--concurrency must be TYPE=N, got \"email\"");
    assertThat(pair.parser().apply("a b=1")).isNull();
  }
}
