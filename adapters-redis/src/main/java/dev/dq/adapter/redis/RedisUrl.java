package dev.dq.adapter.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where and how to connect, parsed from {@code redis://[user:password@]host[:port][/db]}, {@code
 * rediss://...} (TLS with hostname verification), or a Sentinel URL {@code
 * redis-sentinel://[user:password@]host[:port][,host[:port]...]/master-name[/db]} (and {@code
 * rediss-sentinel://...} for TLS), which names the sentinels to ask where the primary of {@code
 * master-name} is. The user and password are those of the primary and its replicas; the sentinels
 * are asked without credentials (see {@link #sentinels()}). The password never appears in {@link
 * #toString()} or in any exception message.
 */
public final class RedisUrl {
  /** The port of a sentinel the URL names without one. */
  public static final int SENTINEL_PORT = 26379;

  private final boolean tls;
  private final String host;
  private final int port;
  private final String user;
  private final String password;
  private final int database;
  private final List<HostPort> sentinels;
  private final String master;

  private RedisUrl(
      boolean tls,
      String host,
      int port,
      String user,
      String password,
      int database,
      List<HostPort> sentinels,
      String master) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.database = database;
    this.sentinels = sentinels;
    this.master = master;
  }

  /**
   * A host and port, as a Sentinel URL lists them.
   *
   * @param host the host name or address (an IPv6 address without brackets)
   * @param port 1..65535
   */
  public record HostPort(String host, int port) {
    /**
     * Checks the parts.
     *
     * @param host the host name or address
     * @param port 1..65535
     * @throws IllegalArgumentException if the host is blank or the port out of range
     */
    public HostPort {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1..65535: " + port);
      }
    }

    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * Parses a Redis URL. The port defaults to 6379 and the database to 0; a user info without a
   * colon is a password alone, as {@code redis-cli -u} reads it.
   *
   * @param url {@code redis://[user:password@]host[:port][/db]}, {@code rediss://...}, {@code
   *     redis-sentinel://[user:password@]host[:port][,host[:port]...]/master-name[/db]} or {@code
   *     rediss-sentinel://...}; a sentinel's port defaults to 26379
   * @return the parsed URL
   * @throws IllegalArgumentException the URL is malformed; the message names the bad part and shows
   *     the URL with any password masked
   */
  public static RedisUrl parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("redis url must not be blank");
    }
    String lower = url.strip().toLowerCase(Locale.ROOT);
    if (lower.startsWith("redis-sentinel://") || lower.startsWith("rediss-sentinel://")) {
      return parseSentinel(url.strip());
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
          "redis url must start with redis://, rediss://, redis-sentinel:// or"
              + " rediss-sentinel://: "
              + mask(url));
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("redis url has no host: " + mask(url));
    }
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("redis url port must be 1..65535: " + port);
    }
    String[] credentials = credentials(uri.getUserInfo());
    String path = uri.getPath();
    int db = path == null || path.isEmpty() || path.equals("/") ? 0 : database(path.substring(1));
    return new RedisUrl(
        "rediss".equalsIgnoreCase(scheme),
        host,
        port,
        credentials[0],
        credentials[1],
        db,
        List.of(),
        null);
  }

  /**
   * Parses {@code redis[s]-sentinel://[userinfo@]hosts/master[/db]} by hand: {@link URI} does not
   * read a comma-separated host list as a server authority.
   */
  private static RedisUrl parseSentinel(String url) {
    boolean tls = url.regionMatches(true, 0, "rediss-", 0, 7);
    String rest = url.substring(url.indexOf("://") + 3);
    // The last '@' ends the user info, so a password never leaks into a host or path message.
    int at = rest.lastIndexOf('@');
    String[] credentials = credentials(at < 0 ? null : decode(rest.substring(0, at)));
    rest = rest.substring(at + 1);
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("sentinel url names no sentinel: " + mask(url));
    }
    List<HostPort> sentinels = new ArrayList<>();
    for (String hostPort : hosts.split(",", -1)) {
      sentinels.add(sentinel(hostPort));
    }
    String[] parts = path.split("/", -1);
    if (parts[0].isEmpty()) {
      throw new IllegalArgumentException(
          "sentinel url names no master after the sentinels (…/master-name): " + mask(url));
    }
    if (parts.length > 2 || (parts.length == 2 && parts[1].isEmpty())) {
      throw new IllegalArgumentException(
          "sentinel url path must be /master-name[/db]: \"/" + path + "\"");
    }
    int db = parts.length == 2 ? database(parts[1]) : 0;
    HostPort first = sentinels.get(0);
    return new RedisUrl(
        tls,
        first.host(),
        first.port(),
        credentials[0],
        credentials[1],
        db,
        List.copyOf(sentinels),
        parts[0]);
  }

  /** Percent-decodes a user info as {@link URI#getUserInfo()} does ('+' stays a plus). */
  private static String decode(String userInfo) {
    try {
      return URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sentinel url has a malformed %-escape in its user info");
    }
  }

  private static HostPort sentinel(String hostPort) {
    String host = hostPort;
    String port = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("sentinel address has no closing ]: " + hostPort);
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException("sentinel address is malformed: " + hostPort);
        }
        port = after.substring(1);
      }
    } else if (hostPort.indexOf(':') >= 0) {
      host = hostPort.substring(0, hostPort.lastIndexOf(':'));
      port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }
    if (host.isBlank() || !host.matches("[A-Za-z0-9._:%-]+")) {
      throw new IllegalArgumentException(
          "sentinel address must be host[:port]: \"" + hostPort + "\"");
    }
    int p = SENTINEL_PORT;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "sentinel port must be a number: \"" + port + "\" in " + hostPort);
      }
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException("sentinel port must be 1..65535: " + p);
      }
    }
    return new HostPort(host, p);
  }

  /**
   * {user, password} from a user info, either null: {@code secret} alone is a password, as {@code
   * redis-cli -u} reads it.
   */
  private static String[] credentials(String userInfo) {
    String user = null;
    String password = null;
    if (userInfo != null && !userInfo.isEmpty()) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = userInfo;
      } else {
        user = colon == 0 ? null : userInfo.substring(0, colon);
        password = userInfo.substring(colon + 1);
      }
      if (password != null && password.isEmpty()) {
        password = null;
      }
    }
    return new String[] {user, password};
  }

  private static int database(String text) {
    int db;
    try {
      db = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("redis url database must be a number: \"" + text + "\"");
    }
    if (db < 0) {
      throw new IllegalArgumentException("redis url database must be >= 0: " + db);
    }
    return db;
  }

  /** {@code url} with whatever sits between {@code //} and {@code @} replaced by {@code ***}. */
  static String mask(String url) {
    return url.replaceFirst("//.*@", "//***@");
  }

  /**
   * Whether the scheme is {@code rediss://} or {@code rediss-sentinel://}: TLS with hostname
   * verification, to the sentinels as well as to the primary.
   *
   * @return true for TLS
   */
  public boolean tls() {
    return tls;
  }

  /**
   * The host to connect to; for a Sentinel URL, the first sentinel's.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * The port to connect to (6379 if the URL names none); for a Sentinel URL, the first sentinel's.
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
   * Whether this is a Sentinel URL: the primary is found by asking {@link #sentinels()}.
   *
   * @return true for {@code redis-sentinel://} and {@code rediss-sentinel://}
   */
  public boolean sentinel() {
    return master != null;
  }

  /**
   * The sentinels of a Sentinel URL, in the URL's order; empty for any other URL. They are asked
   * without credentials (Sentinel's own {@code requirepass} is not supported) and, for {@code
   * rediss-sentinel://}, over TLS with the same trust as the primary.
   *
   * @return the sentinels
   */
  public List<HostPort> sentinels() {
    return sentinels;
  }

  /**
   * The name the sentinels monitor the primary under.
   *
   * @return the master name of a Sentinel URL, else empty
   */
  public Optional<String> masterName() {
    return Optional.ofNullable(master);
  }

  /**
   * {@code host:port}, or {@code master-name via sentinels host:port,...}; safe for messages.
   *
   * @return the endpoint
   */
  public String endpoint() {
    if (sentinel()) {
      return master + " via sentinels " + hosts();
    }
    return host + ":" + port;
  }

  private String hosts() {
    return String.join(",", sentinels.stream().map(HostPort::toString).toList());
  }

  @Override
  public String toString() {
    String auth =
        user == null && password == null
            ? ""
            : (user == null ? "" : user) + (password == null ? "" : ":***") + "@";
    if (sentinel()) {
      return (tls ? "rediss-sentinel://" : "redis-sentinel://")
          + auth
          + hosts()
          + "/"
          + master
          + "/"
          + database;
    }
    return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
  }
}
