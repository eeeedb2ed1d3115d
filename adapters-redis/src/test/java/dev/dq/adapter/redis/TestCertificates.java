package dev.dq.adapter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for DNS name {@code localhost} (and nothing else, so
 * {@code 127.0.0.1} fails hostname verification), made at test time with the JDK's {@code keytool}
 * in a fresh temp directory: no openssl, no files in the repository. Redis reads PEM, so the server
 * key is written out as PKCS#8 PEM from the key store.
 *
 * @param dir where everything lives
 * @param caPem the CA certificate (PEM), for {@code --tls-ca-cert-file} and {@link
 *     RedisTrust#caCertificates}
 * @param serverCertPem the server certificate (PEM), signed by the CA, SAN {@code DNS:localhost}
 * @param serverKeyPem the server's private key (PKCS#8 PEM)
 * @param trustStore a PKCS12 trust store holding the CA, for {@link RedisTrust#trustStore}
 * @param trustStorePassword its password
 */
record TestCertificates(
    Path dir,
    Path caPem,
    Path serverCertPem,
    Path serverKeyPem,
    Path trustStore,
    String trustStorePassword) {
  private static final String STORE_PASSWORD = "changeit-test";
  private static final long KEYTOOL_TIMEOUT_S = 120;

  static TestCertificates create() {
    try {
      Path dir = Files.createTempDirectory("dq-tls-");
      Path ca = dir.resolve("ca.p12");
      Path server = dir.resolve("server.p12");
      Path csr = dir.resolve("server.csr");
      TestCertificates c =
          new TestCertificates(
              dir,
              dir.resolve("ca.pem"),
              dir.resolve("server.pem"),
              dir.resolve("server-key.pem"),
              dir.resolve("truststore.p12"),
              "trust-" + STORE_PASSWORD);
      keytool(
          dir,
          "-genkeypair",
          "-alias",
          "ca",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=dq test CA",
          "-ext",
          "bc:c",
          "-ext",
          "ku:c=keyCertSign,cRLSign",
          "-validity",
          "3",
          "-storetype",
          "PKCS12",
          "-keystore",
          ca.toString(),
          "-storepass",
          STORE_PASSWORD);
      keytool(
          dir,
          "-exportcert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-storepass",
          STORE_PASSWORD,
          "-file",
          c.caPem.toString());
      keytool(
          dir,
          "-genkeypair",
          "-alias",
          "server",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=localhost",
          "-validity",
          "3",
          "-storetype",
          "PKCS12",
          "-keystore",
          server.toString(),
          "-storepass",
          STORE_PASSWORD);
      keytool(
          dir,
          "-certreq",
          "-alias",
          "server",
          "-keystore",
          server.toString(),
          "-storepass",
          STORE_PASSWORD,
          "-file",
          csr.toString());
      keytool(
          dir,
          "-gencert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-storepass",
          STORE_PASSWORD,
          "-infile",
          csr.toString(),
          "-outfile",
          c.serverCertPem.toString(),
          "-validity",
          "3",
          "-ext",
          "san=dns:localhost",
          "-ext",
          "eku=serverAuth",
          "-ext",
          "ku:c=digitalSignature");
      keytool(
          dir,
          "-importcert",
          "-noprompt",
          "-alias",
          "ca",
          "-file",
          c.caPem.toString(),
          "-storetype",
          "PKCS12",
          "-keystore",
          c.trustStore.toString(),
          "-storepass",
          c.trustStorePassword);
      writeKeyPem(server, c.serverKeyPem);
      return c;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeKeyPem(Path keyStore, Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, STORE_PASSWORD.toCharArray());
      Key key = store.getKey("server", STORE_PASSWORD.toCharArray());
      String body =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.getEncoded());
      Files.writeString(
          pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the server key from " + keyStore, e);
    }
  }

  private static void keytool(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Path out = dir.resolve("keytool.log");
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
            .start();
    try {
      if (!p.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "keytool " + args[0] + " took over " + KEYTOOL_TIMEOUT_S + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running keytool", e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "keytool " + args[0] + " failed with " + p.exitValue() + ":\n" + Files.readString(out));
    }
  }
}
