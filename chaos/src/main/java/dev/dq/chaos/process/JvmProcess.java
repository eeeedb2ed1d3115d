package dev.dq.chaos.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A JVM the harness starts with its own classpath: a {@code dq run} worker or a producer. Output
 * goes to {@code <name>.out} in the scenario's directory, appended across restarts.
 */
public final class JvmProcess implements AutoCloseable {
  /** Small heaps and a quick JIT: the harness starts many short-lived JVMs on a small machine. */
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private static final long POLL_MILLIS = 50;

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private final Path output;
  private Process process;
  private boolean paused;

  /** Where the output of the current process starts, and how far it has been searched. */
  private long scanned;

  /** The last characters searched, so a marker split across two reads is still found. */
  private String carry = "";

  private boolean markerSeen;

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
   * Whether the current process runs.
   *
   * @return true while alive
   */
  public boolean alive() {
    return process.isAlive();
  }

  /**
   * The exit code of the current process, once it has exited.
   *
   * @return the code, or empty while it runs
   */
  public OptionalInt exitCode() {
    return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
  }

  /**
   * Whether the current process has printed {@code marker} since it started. Reads only what was
   * written since the last call, decoding leniently (a line torn by a kill is no error).
   *
   * @param marker text to look for; the same one on every call after a start
   * @return true once printed
   */
  public synchronized boolean printed(String marker) {
    if (markerSeen) {
      return true;
    }
    try (FileChannel in = FileChannel.open(output, StandardOpenOption.READ)) {
      long size = in.size();
      if (size > scanned) {
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(size - scanned, 1 << 24));
        in.read(bytes, scanned);
        scanned += bytes.position();
        String text =
            carry + new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
        markerSeen = text.contains(marker);
        carry = text.substring(Math.max(0, text.length() - marker.length()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + output, e);
    }
    return markerSeen;
  }

  /**
   * Waits until the current process has printed {@code marker}.
   *
   * @param marker text to wait for
   * @param bound longest wait
   * @throws ProcessExitedException if the process exits first
   * @throws IllegalStateException if the bound passes first
   * @throws InterruptedException if interrupted
   */
  public void awaitOutput(String marker, Duration bound) throws InterruptedException {
    long deadline = System.nanoTime() + bound.toNanos();
    while (true) {
      boolean exited = !process.isAlive();
      if (printed(marker) && !exited) {
        return;
      }
      if (exited) {
        throw new ProcessExitedException(
            name
                + " exited with code "
                + process.exitValue()
                + " before it printed \""
                + marker
                + "\"; see "
                + output);
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            name + " did not print \"" + marker + "\" within " + bound + "; see " + output);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * SIGKILL, and waits until it is gone.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void kill9() throws InterruptedException {
    process.destroyForcibly();
    paused = false;
    process.waitFor(10, TimeUnit.SECONDS);
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

  /** Starts the same command again (after a kill or an exit). */
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
   * @throws InterruptedException if interrupted
   */
  public OptionalInt await(Duration bound) throws InterruptedException {
    return process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)
        ? OptionalInt.of(process.exitValue())
        : OptionalInt.empty();
  }

  /**
   * SIGTERM, then SIGKILL if it has not exited within {@code grace}.
   *
   * @param grace how long a graceful stop may take
   * @return its exit code, or empty if it had to be killed
   * @throws InterruptedException if interrupted
   */
  public OptionalInt terminate(Duration grace) throws InterruptedException {
    if (!process.isAlive()) {
      return OptionalInt.of(process.exitValue());
    }
    if (paused) {
      unpause();
    }
    process.destroy();
    OptionalInt code = await(grace);
    if (code.isEmpty()) {
      kill9();
    }
    return code;
  }

  private synchronized void launch() {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(output.toFile()));
    builder.environment().putAll(env);
    try {
      scanned = Files.exists(output) ? Files.size(output) : 0;
      carry = "";
      markerSeen = false;
      process = builder.start();
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** SIGKILL without waiting: never throws, so a close of many processes reaches them all. */
  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
    }
  }
}
