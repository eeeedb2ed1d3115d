package dev.dq.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.Manifest;
import picocli.CommandLine.IVersionProvider;

/**
 * The Maven project version, written into {@code version.properties} by resource filtering at build
 * time, and the git commit the jar was built from, written into the jar's manifest ({@value
 * #COMMIT_ATTRIBUTE}) at build time. Classes run from a directory (an IDE, unit tests) have no
 * manifest of their own, so they print the version alone.
 */
public final class VersionProvider implements IVersionProvider {
  static final String RESOURCE = "/dev/dq/app/version.properties";
  static final String COMMIT_ATTRIBUTE = "Git-Commit";

  @Override
  public String[] getVersion() {
    List<String> lines = new ArrayList<>();
    lines.add("dq " + version());
    commit().ifPresent(c -> lines.add("commit " + c));
    return lines.toArray(String[]::new);
  }

  static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing resource " + RESOURCE + ": was the jar built by Maven?");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The {@value #COMMIT_ATTRIBUTE} of the manifest of the jar this class was loaded from: a commit
   * id, that id with {@code -dirty} if tracked files had changes, or {@code unknown} if the build
   * ran outside a git checkout. Empty when this class was not loaded from a jar.
   */
  static Optional<String> commit() {
    URL self = VersionProvider.class.getResource(VersionProvider.class.getSimpleName() + ".class");
    if (self == null || !"jar".equals(self.getProtocol())) {
      return Optional.empty();
    }
    String location = self.toString();
    URI manifest =
        URI.create(location.substring(0, location.indexOf("!/") + 2) + "META-INF/MANIFEST.MF");
    try (InputStream in = manifest.toURL().openStream()) {
      return Optional.ofNullable(new Manifest(in).getMainAttributes().getValue(COMMIT_ATTRIBUTE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
