package dev.dq.adapter.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which certificate authorities a {@code rediss://} connection trusts: a key store file (PKCS12, or
 * JKS, which Java 17 reads through the same type) with its password, or a PEM file of CA
 * certificates. Without one, the JVM's default trust applies: {@code
 * -Djavax.net.ssl.trustStore=...} (and {@code ...trustStorePassword}) if set, else the JDK's {@code
 * cacerts}. {@link #toString()} never shows the password.
 */
public final class RedisTrust {
  private final Path file;
  private final String password;
  private final boolean pem;

  private RedisTrust(Path file, String password, boolean pem) {
    this.file = readable(file);
    this.password = password;
    this.pem = pem;
  }

  /**
   * A key store file of trusted certificates; {@code password} may be empty for a store without
   * integrity check.
   *
   * @param file a readable PKCS12 or JKS key store
   * @param password the key store's password
   * @return the trust
   * @throws IllegalArgumentException if {@code file} is not a readable file
   */
  public static RedisTrust trustStore(Path file, String password) {
    return new RedisTrust(file, Objects.requireNonNull(password, "trust store password"), false);
  }

  /**
   * A PEM file holding one or more CA certificates ({@code -----BEGIN CERTIFICATE-----}).
   *
   * @param pemFile a readable PEM file
   * @return the trust
   * @throws IllegalArgumentException if {@code pemFile} is not a readable file
   */
  public static RedisTrust caCertificates(Path pemFile) {
    return new RedisTrust(pemFile, "", true);
  }

  /**
   * The key store or PEM file.
   *
   * @return the file
   */
  public Path file() {
    return file;
  }

  /**
   * Whether {@link #file()} is a PEM file of CA certificates rather than a key store.
   *
   * @return true for a PEM file
   */
  public boolean pem() {
    return pem;
  }

  /** The key store password; callers must keep it out of logs and messages. */
  String password() {
    return password;
  }

  private static Path readable(Path file) {
    Objects.requireNonNull(file, "trust file");
    if (!Files.isReadable(file) || Files.isDirectory(file)) {
      throw new IllegalArgumentException("trust file must be a readable file: " + file);
    }
    return file;
  }

  @Override
  public String toString() {
    return (pem ? "RedisTrust[pem " : "RedisTrust[trust store ") + file + "]";
  }
}
