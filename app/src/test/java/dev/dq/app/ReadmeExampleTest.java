package dev.dq.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles the library example in the README against the real modules and runs it, so the README
 * cannot rot.
 */
final class ReadmeExampleTest {
  private static final Pattern EXAMPLE =
      Pattern.compile(
          "<!-- example:start -->\\s*```java\\n(.*?)```\\s*<!-- example:end -->", Pattern.DOTALL);

  @Test
  void readmeExample_compilesAndRuns(@TempDir Path dir) throws Exception {
    Path readme = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
    Matcher m = EXAMPLE.matcher(Files.readString(readme));
    assertThat(m.find()).as("a ```java block between the example markers in %s", readme).isTrue();
    Files.writeString(dir.resolve("Example.java"), m.group(1));
    String classpath = System.getProperty("java.class.path");

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled =
        javac.run(
            null,
            null,
            null,
            "-d",
            dir.toString(),
            "-cp",
            classpath,
            dir.resolve("Example.java").toString());
    assertThat(compiled).as("javac exit code").isZero();

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(java.toString(), "-cp", dir + File.pathSeparator + classpath, "Example"))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output).contains("hello, world");
  }
}
