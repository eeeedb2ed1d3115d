package dev.dq.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the Java examples of the README, so that a module's test can check that an example equals a
 * source file the build compiles, and run it: the README cannot rot.
 */
public final class ReadmeBlocks {
  private ReadmeBlocks() {}

  /**
   * The {@code ```java} block between {@code <!-- NAME-example:start -->} and {@code <!--
   * NAME-example:end -->} in the README of the project (the parent of the module's directory).
   *
   * @param name the example's name
   * @return the block's code, ending with a newline
   * @throws AssertionError there is no such block
   */
  public static String java(String name) {
    Path readme = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
    Pattern block =
        Pattern.compile(
            "<!-- "
                + Pattern.quote(name)
                + "-example:start -->\\s*```java\\n(.*?)```\\s*<!-- "
                + Pattern.quote(name)
                + "-example:end -->",
            Pattern.DOTALL);
    try {
      Matcher m = block.matcher(Files.readString(readme));
      if (!m.find()) {
        throw new AssertionError("no ```java block between the " + name + " markers in " + readme);
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The text of a test source file of the module, for comparing with an example.
   *
   * @param relative its path below {@code src/test/java}
   * @return its text
   */
  public static String testSource(String relative) {
    Path file = Path.of(System.getProperty("basedir", "."), "src", "test", "java", relative);
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
