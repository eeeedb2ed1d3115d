package dev.dq.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a Redis server has spent so far, from the fields of {@code INFO cpu} and {@code INFO
 * commandstats}; the difference of two readings is what the work between them cost the server.
 *
 * @param cpuMicros CPU time of the main thread (user + system), or of the whole server before Redis
 *     6.2 reported the main thread apart
 * @param calls commands run, every {@code cmdstat_*} entry's {@code calls} but INFO's (the
 *     readings' own): on Redis 7 this counts both a script call and each command the script runs
 * @param scriptCalls the {@code EVAL}, {@code EVALSHA} and {@code FCALL} calls among them
 */
record ServerCounters(long cpuMicros, long calls, long scriptCalls) {
  private static final Set<String> SCRIPTS =
      Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro");
  private static final String COMMAND = "cmdstat_";
  private static final String CPU_PER_TASK = "redis_cpu_us_per_task";

  /**
   * Reads the counters from INFO fields.
   *
   * @return empty if the fields hold no CPU figure (a backend without a server)
   */
  static Optional<ServerCounters> of(Map<String, String> info) {
    Optional<Long> cpu =
        micros(info, "used_cpu_user_main_thread", "used_cpu_sys_main_thread")
            .or(() -> micros(info, "used_cpu_user", "used_cpu_sys"));
    if (cpu.isEmpty()) {
      return Optional.empty();
    }
    long calls = 0;
    long scriptCalls = 0;
    for (Map.Entry<String, String> e : info.entrySet()) {
      if (!e.getKey().startsWith(COMMAND)) {
        continue;
      }
      String command = e.getKey().substring(COMMAND.length());
      if (command.equals("info")) {
        continue;
      }
      long n = calls(e.getValue());
      calls += n;
      if (SCRIPTS.contains(command)) {
        scriptCalls += n;
      }
    }
    return Optional.of(new ServerCounters(cpu.get(), calls, scriptCalls));
  }

  /**
   * The bench notes for {@code tasks} tasks that cost the server what lies between {@code before}
   * and this reading: CPU per task, calls per task, and the commands per task other than script
   * calls (on Redis 7 they include the commands the scripts ran).
   */
  Map<String, Object> notesSince(ServerCounters before, long tasks) {
    Map<String, Object> notes = new LinkedHashMap<>();
    notes.put(CPU_PER_TASK, perTask(cpuMicros - before.cpuMicros, tasks));
    notes.put("redis_calls_per_task", perTask(calls - before.calls, tasks));
    notes.put("redis_scripts_per_task", perTask(scriptCalls - before.scriptCalls, tasks));
    notes.put(
        "redis_commands_per_task",
        perTask((calls - scriptCalls) - (before.calls - before.scriptCalls), tasks));
    return notes;
  }

  /**
   * Adds {@code redis_cpu_us_per_task_whole_life} to the process row when the enqueue row has its
   * CPU too: the enqueue mode measures the enqueue alone and the process mode claim, load and ack,
   * so their sum is what one task costs the server from enqueue to ack.
   */
  static List<BenchResult> withWholeLife(List<BenchResult> results) {
    Optional<Object> enqueue = cpuPerTask(results, "enqueue");
    Optional<Object> process = cpuPerTask(results, "process");
    if (enqueue.isEmpty() || process.isEmpty()) {
      return results;
    }
    List<BenchResult> with = new ArrayList<>(results);
    for (int i = 0; i < with.size(); i++) {
      BenchResult r = with.get(i);
      if (r.name().equals("process")) {
        Map<String, Object> notes = new LinkedHashMap<>(r.notes());
        double sum =
            ((Number) enqueue.get()).doubleValue() + ((Number) process.get()).doubleValue();
        notes.put(CPU_PER_TASK + "_whole_life", Math.round(1000 * sum) / 1000.0);
        with.set(
            i, new BenchResult(r.backend(), r.name(), r.tasks(), r.seconds(), r.latency(), notes));
      }
    }
    return with;
  }

  private static Optional<Object> cpuPerTask(List<BenchResult> results, String measure) {
    return results.stream()
        .filter(r -> r.name().equals(measure))
        .findFirst()
        .map(r -> r.notes().get(CPU_PER_TASK));
  }

  /**
   * Three decimals: short in a table, yet a script call per batch of 1000 tasks still shows
   * (0.001).
   */
  static double perTask(long total, long tasks) {
    return Math.round(1000.0 * total / tasks) / 1000.0;
  }

  private static Optional<Long> micros(Map<String, String> info, String user, String sys) {
    String u = info.get(user);
    String s = info.get(sys);
    if (u == null || s == null) {
      return Optional.empty();
    }
    return Optional.of(Math.round((Double.parseDouble(u) + Double.parseDouble(s)) * 1e6));
  }

  /** The {@code calls=N} of a commandstats value such as {@code calls=3,usec=40,...}. */
  private static long calls(String stats) {
    for (String part : stats.split(",")) {
      if (part.startsWith("calls=")) {
        return Long.parseLong(part.substring("calls=".length()));
      }
    }
    return 0;
  }
}
