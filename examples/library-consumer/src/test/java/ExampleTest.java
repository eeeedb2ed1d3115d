import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the README's library example against the dq jars of the local repository. */
class ExampleTest {
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
  private static final Pattern README_EXAMPLE =
      Pattern.compile(
          "<!-- example:start -->\\s*```java\\n(.*?)```\\s*<!-- example:end -->", Pattern.DOTALL);

  @Test
  void exampleIsTheReadmeExample() throws IOException {
    Path readme = BASEDIR.resolve("../../README.md").normalize();
    Matcher m = README_EXAMPLE.matcher(Files.readString(readme));
    assertTrue(m.find(), "a ```java block between the example markers in " + readme);

    assertEquals(
        m.group(1),
        Files.readString(BASEDIR.resolve("src/main/java/Example.java")),
        "src/main/java/Example.java must be the README's library example, character for character");
  }

  @Test
  void example_runsTheTaskAndStops() {
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, UTF_8));
    try {
      // main returns only once the result came back and the pool stopped.
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> Example.main(new String[0]));
    } finally {
      System.setOut(stdout);
    }
    String out = printed.toString(UTF_8);
    stdout.print(out);
    assertEquals("hello, world", out.strip(), "what the example printed");
  }
}
