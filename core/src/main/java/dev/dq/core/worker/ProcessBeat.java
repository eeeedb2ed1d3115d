package dev.dq.core.worker;

import dev.dq.core.ops.RunningTask;
import dev.dq.core.ops.WorkerRegistry;
import dev.dq.core.ops.WorkerStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Keeps a pool's process listed in a {@link WorkerRegistry} broker: a heartbeat every {@link
 * #INTERVAL} with its slots busy and the tasks it runs now, valid for {@link #TTL}, so a process
 * that dies disappears within that; the pool deregisters it when it stops.
 */
final class ProcessBeat implements Periodic.Job {
  /** How often a pool reports itself. */
  static final Duration INTERVAL = Duration.ofSeconds(5);

  /** How long a report keeps the process listed: three missed beats and it is gone. */
  static final Duration TTL = INTERVAL.multipliedBy(3);

  private final PoolServices services;
  private final WorkerRegistry registry;
  private final Supplier<List<Execution>> held;
  private final String id;
  private final String host;
  private final long pid;
  private final Instant startedAt;

  private ProcessBeat(
      PoolServices services, WorkerRegistry registry, Supplier<List<Execution>> held) {
    this.services = services;
    this.registry = registry;
    this.held = held;
    this.host = hostName();
    this.pid = ProcessHandle.current().pid();
    // not the pool's random: a seeded one would give two pools of one process the same id
    this.id =
        host + ":" + pid + ":" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.startedAt = services.clock().instant();
  }

  /**
   * A beat for the pool's broker, if it offers a {@link WorkerRegistry}.
   *
   * @param held a snapshot of the executions the pool holds now
   * @return the beat, or null
   */
  static ProcessBeat of(PoolServices services, Supplier<List<Execution>> held) {
    return services.broker() instanceof WorkerRegistry registry
        ? new ProcessBeat(services, registry, held)
        : null;
  }

  /** The process's id in the registry. */
  String id() {
    return id;
  }

  @Override
  public boolean runOnce() {
    try {
      registry.heartbeat(status(), TTL);
      return true;
    } catch (RuntimeException e) {
      services.brokerErrors().warn("reporting this worker process to the broker failed", e);
      return false;
    }
  }

  /** The pool stops: removes the process from the list at once (failures only logged). */
  void deregister() {
    try {
      registry.deregister(id);
    } catch (RuntimeException e) {
      services
          .brokerErrors()
          .warn("deregistering this worker process failed; it disappears after " + TTL, e);
    }
  }

  WorkerStatus status() {
    List<RunningTask> running = new ArrayList<>();
    int busy = 0;
    for (Execution e : held.get()) {
      if (e.state() == Execution.State.RUNNING) {
        busy++;
        if (running.size() < WorkerStatus.MAX_RUNNING) {
          running.add(new RunningTask(e.task().queue(), e.task().id()));
        }
      }
    }
    WorkerPoolConfig config = services.config();
    return new WorkerStatus(
        id, host, pid, version(), config.queues(), config.workers(), busy, startedAt, running);
  }

  private static String version() {
    String v = ProcessBeat.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown-host";
    }
  }
}
