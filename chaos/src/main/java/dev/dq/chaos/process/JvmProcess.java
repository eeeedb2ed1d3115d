package dev.dq.chaos.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the harness starts with its own classpath: a {@code dq run} worker or a producer. Output
 * goes to {@code <name>.out} in the scenario's directory, appended across restarts.
 */
public final class JvmProcess implements AutoCloseable {
  /** Small heaps and a quick JIT: the harness starts many short-lived JVMs on a small machine. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path output;
  private Process process;
  private boolean paused;
  private int outputMark;

  private JvmProcess(String name, List<String> command, Map<String, String> env, Path output) {
    this.name = name;
    this.command = command;
    this.env = env;
    this.output = output;
  }

  /**
   * Starts {@code mainClass} with {@code args} on {@code classpath}.
   *
   * @param name for reports and the output file
   * @param classpath the classpath
   * @param mainClass the main class
   * @param args its arguments
   * @param env variables added to the harness's environment
   * @param dir where {@code <name>.out} goes
   * @return the running process
   */
  public static JvmProcess start(
      String name,
      String classpath,
      String mainClass,
      List<String> args,
      Map<String, String> env,
      Path dir) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.addAll(List.of("-cp", classpath, mainClass));
    command.addAll(args);
    JvmProcess p =
        new JvmProcess(name, List.copyOf(command), Map.copyOf(env), dir.resolve(name + ".out"));
    p.launch();
    return p;
  }

  /**
   * The name given at start.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The current process's id.
   *
   * @return the pid
   */
  public long pid() {
    return process.pid();
  }

  /**
   * Whether the current process runs.
   *
   * @return true while alive
   */
  public boolean alive() {
    return process.isAlive();
  }

  /**
   * Whether the current process runs and has printed {@code marker} since it started.
   *
   * @param marker text to look for
   * @return true once printed
   */
  public boolean printed(String marker) {
    try {
      return process.isAlive()
          && java.nio.file.Files.readString(output).indexOf(marker, outputMark) >= 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + output, e);
    }
  }

  /**
   * Waits until the process's output contains {@code marker} (after its latest start).
   *
   * @param marker text to wait for
   * @param bound longest wait
   * @throws IllegalStateException if the process exits or the bound passes first
   */
  public void awaitOutput(String marker, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      try {
        String text = java.nio.file.Files.readString(output);
        if (text.indexOf(marker, outputMark) >= 0) {
          return;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + output, e);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited before it printed \"" + marker + "\"; see " + output);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            name + " did not print \"" + marker + "\" within " + bound + "; see " + output);
      }
      RedisServer.sleep(50);
    }
  }

  /** SIGKILL, and waits until it is gone. */
  public void kill9() {
    process.destroyForcibly();
    paused = false;
    await(Duration.ofSeconds(10));
  }

  /** SIGSTOP. */
  public void pause() {
    Signals.stop(process.pid());
    paused = true;
  }

  /** SIGCONT. */
  public void unpause() {
    Signals.resume(process.pid());
    paused = false;
  }

  /** Starts the same command again (after a kill). */
  public void restart() {
    if (process.isAlive()) {
      throw new IllegalStateException(name + " is still running");
    }
    launch();
  }

  /**
   * Waits for the process to exit by itself.
   *
   * @param bound longest wait
   * @return its exit code, or empty if it still runs
   */
  public java.util.OptionalInt await(Duration bound) {
    try {
      return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)
          ? java.util.OptionalInt.of(process.exitValue())
          : java.util.OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
  }

  /**
   * SIGTERM, then SIGKILL if it has not exited within {@code grace}.
   *
   * @param grace how long a graceful stop may take
   * @return true if it exited by itself
   */
  public boolean terminate(Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    if (paused) {
      unpause();
    }
    process.destroy();
    if (await(grace).isPresent()) {
      return true;
    }
    kill9();
    return false;
  }

  private void launch() {
    outputMark = (int) output.toFile().length();
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(output.toFile()));
    builder.environment().putAll(env);
    try {
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      await(Duration.ofSeconds(10));
    }
  }
}
