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
 * are asked without credentials (see {@link #sentinels()}). A Redis Cluster URL {@code
 * redis-cluster://[user:password@]host[:port][,host[:port]...][/0]} (and {@code
 * rediss-cluster://...} for TLS) names seed nodes of a cluster (see {@link #clusterNodes()}). The
 * password never appears in {@link #toString()} or in any exception message.
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
  private final List<HostPort> clusterNodes;

  private RedisUrl(
      boolean tls,
      String host,
      int port,
      String user,
      String password,
      int database,
      List<HostPort> sentinels,
      String master,
      List<HostPort> clusterNodes) {
    this.tls = tls;
    this.host = host;
    this.port = port;
    this.user = user;
    this.password = password;
    this.database = database;
    this.sentinels = sentinels;
    this.master = master;
    this.clusterNodes = clusterNodes;
  }

  /**
   * A host and port, as a Sentinel or Cluster URL lists them.
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
   *     rediss-sentinel://...}; a sentinel's port defaults to 26379; or {@code
   *     redis-cluster://[user:password@]host[:port][,host[:port]...][/0]} or {@code
   *     rediss-cluster://...}, whose nodes' port defaults to 6379
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
    if (lower.startsWith("redis-cluster://") || lower.startsWith("rediss-cluster://")) {
      return parseCluster(url.strip());
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
          "redis url must start with redis://, rediss://, redis-sentinel://,"
              + " rediss-sentinel://, redis-cluster:// or rediss-cluster://: "
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
        null,
        List.of());
  }

  /**
   * Parses {@code redis[s]-sentinel://[userinfo@]hosts/master[/db]} by hand: {@link URI} does not
   * read a comma-separated host list as a server authority.
   */
  private static RedisUrl parseSentinel(String url) {
    HostList list = HostList.parse(url, "sentinel", SENTINEL_PORT);
    List<HostPort> sentinels = list.hosts();
    String path = list.path();
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
    return list.toUrl(db, sentinels, parts[0], List.of());
  }

  /** Parses {@code redis[s]-cluster://[userinfo@]hosts[/0]}. */
  private static RedisUrl parseCluster(String url) {
    HostList list = HostList.parse(url, "cluster", 6379);
    String path = list.path();
    if (!path.isEmpty() && database(path) != 0) {
      throw new IllegalArgumentException(
          "redis cluster has database 0 only: \"/" + path + "\" in " + mask(url));
    }
    return list.toUrl(0, List.of(), null, list.hosts());
  }

  /**
   * The parts of {@code scheme://[userinfo@]host[:port][,host[:port]...][/path]}, read by hand:
   * {@link URI} does not read a comma-separated host list as a server authority.
   *
   * @param tls whether the scheme starts with {@code rediss-}
   * @param user the user, or null
   * @param password the password, or null
   * @param hosts at least one
   * @param path after the first '/' following the hosts, without it; empty if none
   */
  private record HostList(
      boolean tls, String user, String password, List<HostPort> hosts, String path) {
    static HostList parse(String url, String what, int defaultPort) {
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
        throw new IllegalArgumentException(what + " url names no " + what + " node: " + mask(url));
      }
      List<HostPort> list = new ArrayList<>();
      for (String hostPort : hosts.split(",", -1)) {
        list.add(hostPort(hostPort, what, defaultPort));
      }
      return new HostList(tls, credentials[0], credentials[1], List.copyOf(list), path);
    }

    /** A URL whose host and port are the first listed. */
    RedisUrl toUrl(int db, List<HostPort> sentinels, String master, List<HostPort> clusterNodes) {
      HostPort first = hosts.get(0);
      return new RedisUrl(
          tls, first.host(), first.port(), user, password, db, sentinels, master, clusterNodes);
    }
  }

  /** Percent-decodes a user info as {@link URI#getUserInfo()} does ('+' stays a plus). */
  private static String decode(String userInfo) {
    try {
      return URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("redis url has a malformed %-escape in its user info");
    }
  }

  private static HostPort hostPort(String hostPort, String what, int defaultPort) {
    String host = hostPort;
    String port = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException(what + " address has no closing ]: " + hostPort);
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException(what + " address is malformed: " + hostPort);
        }
        port = after.substring(1);
      }
    } else if (hostPort.indexOf(':') >= 0) {
      host = hostPort.substring(0, hostPort.lastIndexOf(':'));
      port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
    }
    if (host.isBlank() || !host.matches("[A-Za-z0-9._:%-]+")) {
      throw new IllegalArgumentException(
          what + " address must be host[:port]: \"" + hostPort + "\"");
    }
    int p = defaultPort;
    if (port != null) {
      try {
        p = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            what + " port must be a number: \"" + port + "\" in " + hostPort);
      }
      if (p < 1 || p > 65535) {
        throw new IllegalArgumentException(what + " port must be 1..65535: " + p);
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
   * Whether the scheme is {@code rediss://}, {@code rediss-sentinel://} or {@code
   * rediss-cluster://}: TLS with hostname verification, to the sentinels as well as to the primary,
   * and to every node of a cluster.
   *
   * @return true for TLS
   */
  public boolean tls() {
    return tls;
  }

  /**
   * The host to connect to; for a Sentinel URL, the first sentinel's; for a Cluster URL, the first
   * node's.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * The port to connect to (6379 if the URL names none); for a Sentinel URL, the first sentinel's;
   * for a Cluster URL, the first node's.
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
   * Whether this is a Redis Cluster URL: {@link #clusterNodes()} are seed nodes, the client reads
   * the slot map from them and finds the other nodes itself.
   *
   * @return true for {@code redis-cluster://} and {@code rediss-cluster://}
   */
  public boolean cluster() {
    return !clusterNodes.isEmpty();
  }

  /**
   * The seed nodes of a Cluster URL, in the URL's order; empty for any other URL.
   *
   * @return the seed nodes
   */
  public List<HostPort> clusterNodes() {
    return clusterNodes;
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
   * {@code host:port}, {@code master-name via sentinels host:port,...} or {@code cluster
   * host:port,...}; safe for messages.
   *
   * @return the endpoint
   */
  public String endpoint() {
    if (sentinel()) {
      return master + " via sentinels " + hosts(sentinels);
    }
    if (cluster()) {
      return "cluster " + hosts(clusterNodes);
    }
    return host + ":" + port;
  }

  private static String hosts(List<HostPort> list) {
    return String.join(",", list.stream().map(HostPort::toString).toList());
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
          + hosts(sentinels)
          + "/"
          + master
          + "/"
          + database;
    }
    if (cluster()) {
      return (tls ? "rediss-cluster://" : "redis-cluster://") + auth + hosts(clusterNodes);
    }
    return (tls ? "rediss://" : "redis://") + auth + host + ":" + port + "/" + database;
  }
}
