package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the shaded {@code target/dq.jar} the way a user does: a separate JVM, its own environment
 * (no inherited {@code DQ_*}), stdin from a string, and real signals.
 */
final class Dq {
  static final Path JAR = Path.of(System.getProperty("dq.jar", "target/dq.jar"));
  static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

  /** Generous: a JVM start on a loaded 2-core machine can take seconds. */
  static final Duration PATIENCE = Duration.ofSeconds(90);

  record Result(int code, String out, String err) {}

  private Dq() {}

  /**
   * {@code java -jar dq.jar args}, or {@code java -cp dq.jar:extra dev.dq.app.Main args} with extra
   * jars.
   */
  static ProcessBuilder command(Map<String, String> env, List<Path> extraJars, String... args) {
    return command(List.of(), env, extraJars, args);
  }

  /**
   * As {@link #command(Map, List, String...)}, with JVM options such as {@code -Xmx64m} before the
   * jar.
   */
  static ProcessBuilder command(
      List<String> jvmArgs, Map<String, String> env, List<Path> extraJars, String... args) {
    assertThat(JAR).as("the shaded jar (built by package)").isRegularFile();
    List<String> command = new ArrayList<>(List.of(JAVA.toString()));
    command.addAll(jvmArgs);
    if (extraJars.isEmpty()) {
      command.addAll(List.of("-jar", JAR.toString()));
    } else {
      List<String> cp = new ArrayList<>(List.of(JAR.toString()));
      extraJars.forEach(j -> cp.add(j.toString()));
      command.addAll(List.of("-cp", String.join(File.pathSeparator, cp), "dev.dq.app.Main"));
    }
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment()
        .keySet()
        .removeIf(
            k -> k.startsWith("DQ_") || List.of("WORKERS", "TASKS", "MAX_ATTEMPTS").contains(k));
    pb.environment().putAll(env);
    return pb;
  }

  /** Runs to completion with {@code stdin} as input. */
  static Result runWithInput(Map<String, String> env, String stdin, String... args)
      throws Exception {
    return runWithInput(List.of(), env, stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  /**
   * Runs to completion with JVM options and raw {@code stdin} bytes (which need not be valid
   * UTF-8).
   */
  static Result runWithInput(
      List<String> jvmArgs, Map<String, String> env, byte[] stdin, String... args)
      throws Exception {
    Process p = command(jvmArgs, env, List.of(), args).start();
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin);
    } catch (IOException e) {
      // the command exited before reading its input: its exit code tells why
    }
    assertThat(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
        .as("dq %s finished in time", List.of(args))
        .isTrue();
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  static Result run(Map<String, String> env, String... args) throws Exception {
    return runWithInput(env, "", args);
  }

  static CompletableFuture<String> read(InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** A long-running dq (run, stats --watch) whose output lines are collected as they come. */
  static final class Running implements AutoCloseable {
    private final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();
    private final List<Thread> readers;

    private Running(Process process) {
      this.process = process;
      this.readers =
          List.of(collect(process.getInputStream(), out), collect(process.getErrorStream(), err));
    }

    static Running start(Map<String, String> env, List<Path> extraJars, String... args)
        throws IOException {
      return new Running(
          command(env, extraJars, args)
              .redirectInput(ProcessBuilder.Redirect.from(devNull()))
              .start());
    }

    static Running start(Map<String, String> env, String... args) throws IOException {
      return start(env, List.of(), args);
    }

    private static Thread collect(InputStream in, List<String> lines) {
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  // process gone
                }
              });
      t.setDaemon(true);
      t.start();
      return t;
    }

    /** After exit: waits until every line the process wrote has been read. */
    private int drained() throws InterruptedException {
      for (Thread t : readers) {
        t.join(PATIENCE.toMillis());
      }
      return process.exitValue();
    }

    long pid() {
      return process.pid();
    }

    boolean alive() {
      return process.isAlive();
    }

    boolean hasErrLine(Predicate<String> p) {
      return err.stream().anyMatch(p);
    }

    String errText() {
      return String.join("\n", err);
    }

    /**
     * SIGTERM, as {@code docker stop} and Kubernetes send it; returns the exit code. Through the
     * {@link ProcessHandle}: {@link Process#destroy()} also closes our ends of the pipes, and then
     * every line logged during shutdown is lost.
     */
    int terminate() throws InterruptedException {
      process.toHandle().destroy();
      assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .as("stopped in time; stderr:%n%s", errText())
          .isTrue();
      return drained();
    }

    int awaitExit() throws InterruptedException {
      assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS))
          .as("exited; stderr:%n%s", errText())
          .isTrue();
      return drained();
    }

    @Override
    public void close() {
      process.destroyForcibly();
    }
  }

  private static File devNull() {
    return new File(File.separatorChar == '/' ? "/dev/null" : "NUL");
  }

  /**
   * A free loopback port: bound, then released for the process under test (a tiny race, accepted in
   * tests).
   */
  static int freePort() throws IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Path tempFile(String prefix, byte[] bytes) throws IOException {
    Path f = Files.createTempFile(prefix, ".bin");
    Files.write(f, bytes);
    f.toFile().deleteOnExit();
    return f;
  }
}
