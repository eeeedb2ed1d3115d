package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.config.SettingResolver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * The whole dq command line in this JVM, on captured stdout and stderr, for the tests of each
 * feature package.
 */
public final class Cli {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /**
   * The command line with {@code env} as the environment and {@code stdin} as standard input; the
   * demo never runs.
   */
  public CommandLine commandLine(Map<String, String> env, String stdin) {
    return Main.commandLine(
        new SettingResolver(env),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8),
        (a, d) -> 0);
  }

  public int execute(Map<String, String> env, String stdin, String... args) {
    return commandLine(env, stdin).execute(args);
  }

  /**
   * Runs {@code dq args} on the Redis at {@code redisUrl} and checks its exit code, showing both
   * outputs when it differs.
   */
  public static Cli onRedis(String redisUrl, int expectedCode, String... args) {
    Cli cli = new Cli();
    int code = cli.execute(Map.of("DQ_BROKER", "redis", "DQ_REDIS_URL", redisUrl), "", args);
    assertThat(code).as("stdout: %s%nstderr: %s", cli.out(), cli.err()).isEqualTo(expectedCode);
    return cli;
  }

  public String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Standard output as bytes, as written (binary output such as a task's result). */
  public byte[] outBytes() {
    return out.toByteArray();
  }

  public String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
