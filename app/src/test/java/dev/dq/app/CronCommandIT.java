package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dq.core.schedule.ScheduleState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code dq cron} against real Redis: the commands, their exit codes, and concurrent adds of one
 * spec from several processes leaving one schedule with one next tick.
 */
final class CronCommandIT extends WithRedis {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void commands_addListShowPauseResumeTriggerHistoryRemove() throws Exception {
    Dq.Result add =
        Dq.run(
            env(),
            "cron",
            "add",
            "nightly",
            "--cron",
            "0 30 2 * * *",
            "--type",
            "report",
            "--zone",
            "Europe/Berlin",
            "--payload",
            "hi",
            "--overlap",
            "skip");
    assertThat(add.code()).as("stderr: %s", add.err()).isZero();
    assertThat(add.out()).startsWith("created schedule nightly on queue default");

    Dq.Result again =
        Dq.run(
            env(),
            "cron",
            "add",
            "nightly",
            "--cron",
            "0 30 2 * * *",
            "--type",
            "report",
            "--zone",
            "Europe/Berlin",
            "--payload",
            "hi",
            "--overlap",
            "skip");
    assertThat(again.out()).startsWith("unchanged schedule nightly");

    Dq.Result list = Dq.run(env(), "cron", "list", "--json");
    JsonNode listed = json.readTree(list.out());
    assertThat(listed.path("name").asText()).isEqualTo("nightly");
    assertThat(listed.path("cron").asText()).isEqualTo("0 30 2 * * *");
    assertThat(listed.path("zone").asText()).isEqualTo("Europe/Berlin");
    assertThat(listed.path("overlap").asText()).isEqualTo("skip");

    assertThat(Dq.run(env(), "cron", "pause", "nightly").code()).isZero();
    assertThat(
            json.readTree(Dq.run(env(), "cron", "show", "nightly").out())
                .path("paused")
                .asBoolean())
        .isTrue();
    assertThat(Dq.run(env(), "cron", "resume", "nightly").code()).isZero();
    ScheduleState state = broker.schedules().get("default", "nightly").orElseThrow();
    assertThat(state.paused()).isFalse();

    Dq.Result trigger = Dq.run(env(), "cron", "trigger", "nightly");
    assertThat(trigger.code()).as("stderr: %s", trigger.err()).isZero();
    assertThat(trigger.out().strip()).startsWith("cron:nightly:manual:");
    assertThat(broker.stats("default").ready()).isEqualTo(1);

    Dq.Result history = Dq.run(env(), "cron", "history", "nightly", "--json");
    assertThat(history.code()).isZero();
    assertThat(history.out()).isEmpty();

    assertThat(Dq.run(env(), "cron", "remove", "nightly").code()).isZero();
    Dq.Result gone = Dq.run(env(), "cron", "show", "nightly");
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err()).contains("no schedule nightly on queue default");
  }

  @Test
  void badExpressionZoneOrPolicy_exits2_withOneLineNamingIt() throws Exception {
    Dq.Result cron = Dq.run(env(), "cron", "add", "x", "--cron", "61 * * * *", "--type", "t");
    assertThat(cron.code()).isEqualTo(2);
    assertThat(cron.err().strip().lines()).hasSize(1);
    assertThat(cron.err()).contains("--cron: bad cron expression \"61 * * * *\"");

    Dq.Result zone =
        Dq.run(env(), "cron", "add", "x", "--every", "30s", "--type", "t", "--zone", "Mars/Base");
    assertThat(zone.code()).isEqualTo(2);
    assertThat(zone.err()).contains("--zone: unknown time zone \"Mars/Base\"");

    Dq.Result misfire =
        Dq.run(env(), "cron", "add", "x", "--every", "30s", "--type", "t", "--misfire", "never");
    assertThat(misfire.code()).isEqualTo(2);
    assertThat(misfire.err()).contains("--misfire").contains("never");

    Dq.Result both =
        Dq.run(env(), "cron", "add", "x", "--every", "30s", "--cron", "* * * * *", "--type", "t");
    assertThat(both.code()).isEqualTo(2);
    assertThat(broker.schedules().list("default")).isEmpty();
  }

  @Test
  void concurrentAddsOfOneSpec_fromSeveralProcesses_createItOnce() throws Exception {
    List<Dq.Running> adds = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        adds.add(
            Dq.Running.start(
                env(), "cron", "add", "tick", "--every", "1s", "--type", "t", "--queue", "c"));
      }
      int created = 0;
      for (Dq.Running r : adds) {
        assertThat(r.awaitExit()).as("stderr: %s", r.errText()).isZero();
        created += r.out.stream().filter(l -> l.startsWith("created")).count();
      }
      assertThat(created).isEqualTo(1);
    } finally {
      adds.forEach(Dq.Running::close);
    }
    assertThat(broker.schedules().list("c")).hasSize(1);
  }
}
