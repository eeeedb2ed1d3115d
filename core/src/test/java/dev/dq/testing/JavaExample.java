package dev.dq.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Compiles a Java example taken from the README against this test's class path and runs it in a JVM
 * of its own, so a documented example cannot rot.
 */
public final class JavaExample {
  private JavaExample() {}

  /**
   * The fenced block of {@code language} between {@code <!-- NAME:start -->} and {@code <!--
   * NAME:end -->} in the project's README.
   *
   * @param name the marker's name, e.g. {@code example}
   * @param language the fence's language, e.g. {@code java}
   * @return the block's text
   * @throws IOException the README cannot be read
   * @throws AssertionError no such block
   */
  public static String fromReadme(String name, String language) throws IOException {
    Path readme = Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
    Pattern block =
        Pattern.compile(
            "<!-- "
                + Pattern.quote(name)
                + ":start -->\\s*```"
                + Pattern.quote(language)
                + "\\n(.*?)```\\s*<!-- "
                + Pattern.quote(name)
                + ":end -->",
            Pattern.DOTALL);
    Matcher m = block.matcher(Files.readString(readme));
    if (!m.find()) {
      throw new AssertionError(
          "no ```" + language + " block between " + name + " markers in " + readme);
    }
    return m.group(1);
  }

  /**
   * Compiles {@code source} as class {@code className} into {@code dir} and runs its {@code main}
   * with {@code dir} first on the class path (so files written there, such as {@code
   * application.properties}, are resources).
   *
   * @param dir a fresh directory
   * @param className the class's binary name, e.g. {@code com.example.App}
   * @param source its source
   * @return the run's output, stdout and stderr together
   * @throws Exception the compiler or the run failed
   * @throws AssertionError compiling failed, the run took over 60 s or exited non-zero
   */
  public static String compileAndRun(Path dir, String className, String source) throws Exception {
    return compileAndRun(dir, className, source, System.getProperty("java.class.path"));
  }

  /**
   * As {@link #compileAndRun(Path, String, String)}, on a class path of the caller's choosing (say,
   * this test's without an optional library).
   *
   * @param dir a fresh directory
   * @param className the class's binary name
   * @param source its source
   * @param classpath the class path to compile and run with
   * @return the run's output, stdout and stderr together
   * @throws Exception the compiler or the run failed
   * @throws AssertionError compiling failed, the run took over 60 s or exited non-zero
   */
  public static String compileAndRun(Path dir, String className, String source, String classpath)
      throws Exception {
    Path file = dir.resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, source);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int compiled =
        javac.run(null, null, null, "-d", dir.toString(), "-cp", classpath, file.toString());
    if (compiled != 0) {
      throw new AssertionError("javac exit code " + compiled + " for " + file);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(java.toString(), "-cp", dir + File.pathSeparator + classpath, className))
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the example ran over 60 s:\n" + output);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("the example exited " + p.exitValue() + ":\n" + output);
    }
    return output;
  }
}
