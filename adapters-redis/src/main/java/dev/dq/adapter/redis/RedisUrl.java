package dev.dq.adapter.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where and how to connect, parsed from {@code redis://[user:password@]host[:port][/db]} or {@code
 * rediss://...} (TLS with hostname verification). The password never appears in {@link #toString()}
 * or in any exception message.
 */
public final class RedisUrl {
  private final boolean tls;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final int database;

  private RedisUrl(boolean tls, String host, int port, String user, String password, int database) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.database = database;
  }

  /**
   * Parses a Redis URL. The port defaults to 6379 and the database to 0; a user info without a
   * colon is a password alone, as {@code redis-cli -u} reads it.
   *
   * @param url {@code redis://[user:password@]host[:port][/db]} or {@code rediss://...}
   * @return the parsed URL
   * @throws IllegalArgumentException the URL is malformed; the message shows it with any password
   *     masked
   */
  public static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("redis url must not be blank");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      // The URISyntaxException message quotes the input, so it is not chained.
      throw new IllegalArgumentException("redis url is malformed: " + mask(url));
    }
    String scheme = uri.getScheme();
    if (!"redis".equalsIgnoreCase(scheme) && !"rediss".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException(
          "redis url must start with redis:// or rediss://: " + mask(url));
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("redis url has no host: " + mask(url));
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("redis url port must be 1..65535: " + port);
    }
    String user = null;
    String password = null;
    String userInfo = uri.getUserInfo();
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = userInfo; // redis://secret@host, as redis-cli -u reads it
      } else {
        user = colon == 0 ? null : userInfo.substring(0, colon);
        password = userInfo.substring(colon + 1);
      }
      if (password != null && password.isEmpty()) {
        password = null;
      }
    }
    int db = 0;
    String path = uri.getPath();
    if (path != null && !path.isEmpty() && !path.equals("/")) {
      try {
        db = Integer.parseInt(path.substring(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "redis url database must be a number: \"" + path.substring(1) + "\"");
      }
      if (db < 0) {
        throw new IllegalArgumentException("redis url database must be >= 0: " + db);
      }
    }
    return new RedisUrl("rediss".equalsIgnoreCase(scheme), host, port, user, password, db);
  }

  /** {@code url} with whatever sits between {@code //} and {@code @} replaced by {@code ***}. */
  static String mask(String url) {
    return url.replaceFirst("//.*@", "//***@");
  }

  /**
   * Whether the scheme is {@code rediss://}: TLS with hostname verification.
   *
   * @return true for {@code rediss://}
   */
  public boolean tls() {
    return tls;
  }

  /**
   * The host to connect to.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * The port to connect to (6379 if the URL names none).
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * The ACL user, if the URL names one.
   *
   * @return the user, or empty for the default user
   */
  public Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /**
   * The password; deliberately not in {@link #toString()}, and callers must keep it out of logs.
   */
  Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /**
   * The database number (0 if the URL names none).
   *
   * @return the database
   */
  public int database() {
    return database;
  }

  /**
   * {@code host:port}, safe for messages.
   *
   * @return the endpoint
   */
  public String endpoint() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    String auth =
        user == null && password == null
            ? ""
            : (user == null ? "" : user) + (password == null ? "" : ":***") + "@";
    return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
  }
}
