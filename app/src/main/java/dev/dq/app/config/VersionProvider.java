package dev.dq.app.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The Maven project version, written into {@code version.properties} by resource filtering at build
 * time.
 */
public final class VersionProvider implements IVersionProvider {
  static final String RESOURCE = "/dev/dq/app/version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"dq " + version()};
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
}
