package dev.dq.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading INFO cpu and INFO commandstats fields, and the per-task notes between two readings. */
final class ServerCountersTest {

  @Test
  void of_mainThreadFields_preferredOverTheWholeServer() {
    var info =
        Map.of(
            "used_cpu_user", "9.000000",
            "used_cpu_sys", "9.000000",
            "used_cpu_user_main_thread", "1.250000",
            "used_cpu_sys_main_thread", "0.000001");

    assertThat(ServerCounters.of(info))
        .hasValueSatisfying(c -> assertThat(c.cpuMicros()).isEqualTo(1_250_001));
  }

  @Test
  void of_noMainThreadFields_usesTheWholeServer() {
    var info = Map.of("used_cpu_user", "2.5", "used_cpu_sys", "0.5");

    assertThat(ServerCounters.of(info))
        .hasValueSatisfying(c -> assertThat(c.cpuMicros()).isEqualTo(3_000_000));
  }

  @Test
  void of_commandstats_countsEveryCallButInfo_andScriptsApart() {
    var info =
        Map.of(
            "used_cpu_user", "0",
            "used_cpu_sys", "0",
            "cmdstat_evalsha",
                "calls=10,usec=500,usec_per_call=50.00,rejected_calls=0,failed_calls=0",
            "cmdstat_eval", "calls=1,usec=5,usec_per_call=5.00",
            "cmdstat_hset", "calls=30,usec=60,usec_per_call=2.00",
            "cmdstat_client|setname", "calls=2,usec=1,usec_per_call=0.50",
            "cmdstat_info", "calls=1000,usec=9,usec_per_call=0.01");

    assertThat(ServerCounters.of(info)).contains(new ServerCounters(0, 43, 11));
  }

  @Test
  void of_noCpuFields_isEmpty() {
    assertThat(ServerCounters.of(Map.of())).isEmpty();
    assertThat(ServerCounters.of(Map.of("cmdstat_get", "calls=1"))).isEmpty();
  }

  @Test
  void notesSince_dividesEachDifferenceByTheTasks() {
    var before = new ServerCounters(1_000_000, 100, 40);
    var after = new ServerCounters(1_012_345, 5_101, 2_040);

    assertThat(after.notesSince(before, 1000))
        .containsEntry("redis_cpu_us_per_task", 12.345)
        .containsEntry("redis_calls_per_task", 5.001)
        .containsEntry("redis_scripts_per_task", 2.0)
        .containsEntry("redis_commands_per_task", 3.001)
        .hasSize(4);
  }
}
