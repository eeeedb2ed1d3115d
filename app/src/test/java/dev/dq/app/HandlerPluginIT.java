package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler SPI as a user meets it: a class compiled against dq.jar alone, jarred with its
 * services file, put next to dq.jar with {@code java -cp}, and served by {@code dq run}.
 */
final class HandlerPluginIT extends WithRedis {
  private static final Pattern EXAMPLE =
      Pattern.compile(
          "<!-- handler-example:start -->\\s*```java\\n(.*?)```\\s*<!-- handler-example:end -->",
          Pattern.DOTALL);

  /** The README's example handler, so that the documented example is the tested one. */
  static String readmeExample() throws IOException {
    Path readme = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
    Matcher m = EXAMPLE.matcher(Files.readString(readme));
    assertThat(m.find())
        .as("a ```java block between the handler-example markers in %s", readme)
        .isTrue();
    return m.group(1);
  }

  @TempDir Path dir;

  /** Compiles the README's example as class {@code name} and jars it with its services file. */
  private Path handlerJar(String name) throws IOException {
    Path src = dir.resolve(name + "/src/com/example/" + name + ".java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, readmeExample().replace("GreetHandler", name));
    Path classes = Files.createDirectories(dir.resolve(name + "/classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc =
        javac.run(
            null,
            null,
            null,
            "--release",
            "17",
            "-cp",
            Dq.JAR.toString(),
            "-d",
            classes.toString(),
            src.toString());
    assertThat(rc).as("javac").isZero();

    Path jar = dir.resolve(name + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      entry(
          out,
          "META-INF/services/dev.dq.core.worker.NamedTaskHandler",
          ("com.example." + name + "\n").getBytes(StandardCharsets.UTF_8));
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          entry(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
    }
    return jar;
  }

  private static void entry(JarOutputStream jar, String name, byte[] bytes) throws IOException {
    jar.putNextEntry(new JarEntry(name));
    OutputStream out = jar;
    out.write(bytes);
    jar.closeEntry();
  }

  @Test
  void run_withUserJarOnClasspath_servesItsTaskType() throws Exception {
    Path jar = handlerJar("GreetHandler");
    Path greeting = dir.resolve("greeting.txt");
    String stdin =
        "{\"type\":\"greet\",\"payload\":\""
            + greeting.toString().replace("\\", "\\\\")
            + "\\nworld\"}\n";
    assertThat(Dq.runWithInput(env(), stdin, "publish").code()).isZero();

    try (Dq.Running run = Dq.Running.start(env("DQ_METRICS_PORT", "0"), List.of(jar), "run")) {
      await().atMost(Dq.PATIENCE).until(() -> Files.exists(greeting) && Files.size(greeting) > 0);

      assertThat(Files.readString(greeting)).isEqualTo("hello, world");
      assertThat(run.errText()).contains("serving task types [echo, fail, flaky, greet, sleep]");
      assertThat(run.terminate()).isZero();
    }
  }

  @Test
  void run_twoHandlersForOneType_exits2NamingBoth() throws Exception {
    List<Path> jars = List.of(handlerJar("GreetHandler"), handlerJar("OtherGreetHandler"));

    try (Dq.Running run = Dq.Running.start(env("DQ_METRICS_PORT", "0"), jars, "run")) {
      assertThat(run.awaitExit()).isEqualTo(2);
      assertThat(run.err)
          .singleElement()
          .asString()
          .startsWith("dq: two handlers for task type greet")
          .contains("com.example.GreetHandler", "com.example.OtherGreetHandler");
    }
  }
}
