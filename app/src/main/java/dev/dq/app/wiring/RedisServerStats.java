package dev.dq.app.wiring;

import dev.dq.adapter.redis.RedisUrl;
import dev.dq.app.config.ServerStats;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code INFO cpu} and {@code INFO commandstats} of the Redis a bench runs on, over one connection
 * of its own. Only the redis adapter may use Jedis, and the adapter offers no INFO beyond used
 * memory, so this speaks the few lines of RESP it needs itself: {@code AUTH} when the URL carries
 * credentials, then {@code INFO}. It reaches a single server named by {@code redis://} only; for
 * TLS, Sentinel and Cluster URLs {@link #of} gives {@link ServerStats#NONE}, and the bench reports
 * no server figures.
 */
final class RedisServerStats implements ServerStats {
  private static final int TIMEOUT_MILLIS = 5_000;

  private final RedisUrl url;
  private final String user;
  private final String password;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  private RedisServerStats(RedisUrl url, String user, String password) {
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /**
   * Stats of the server {@code url} names, or {@link ServerStats#NONE} when it is not a plain
   * single server. Does not connect.
   *
   * @param url a URL {@link RedisUrl#parse} accepts
   */
  static ServerStats of(String url) {
    RedisUrl parsed = RedisUrl.parse(url);
    if (parsed.tls() || parsed.sentinel() || parsed.cluster()) {
      return ServerStats.NONE;
    }
    // As RedisUrl reads it: "user:password", or a password alone; ":password" is the default user.
    String userInfo = URI.create(url).getUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      return new RedisServerStats(parsed, null, null);
    }
    int colon = userInfo.indexOf(':');
    if (colon < 0) {
      return new RedisServerStats(parsed, null, userInfo);
    }
    return new RedisServerStats(
        parsed, colon == 0 ? null : userInfo.substring(0, colon), userInfo.substring(colon + 1));
  }

  @Override
  public Map<String, String> read() {
    try {
      connect();
      Map<String, String> fields = new LinkedHashMap<>();
      fields(command("INFO", "cpu"), fields);
      fields(command("INFO", "commandstats"), fields);
      return fields;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(
          "cannot read INFO from redis at " + url.endpoint() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // Closing a connection we only read from: nothing is lost.
      }
      socket = null;
    }
  }

  private void connect() throws IOException {
    if (socket != null) {
      return;
    }
    Socket s = new Socket();
    try {
      s.connect(new InetSocketAddress(url.host(), url.port()), TIMEOUT_MILLIS);
      s.setSoTimeout(TIMEOUT_MILLIS);
      s.setTcpNoDelay(true);
      socket = s;
      in = new BufferedInputStream(s.getInputStream());
      out = s.getOutputStream();
      if (password != null) {
        if (user != null) {
          command("AUTH", user, password);
        } else {
          command("AUTH", password);
        }
      }
    } catch (IOException e) {
      close();
      s.close();
      throw e;
    }
  }

  /** Sends a command as a RESP array and returns its simple or bulk string reply. */
  private String command(String... args) throws IOException {
    var request = new ByteArrayOutputStream();
    request.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(bytes);
      request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(request.toByteArray());
    out.flush();
    String line = line();
    switch (line.isEmpty() ? ' ' : line.charAt(0)) {
      case '+':
        return line.substring(1);
      case '-':
        // An error reply never echoes the arguments, so the password stays out of the message.
        throw new IOException(args[0] + " failed: " + line.substring(1));
      case '$':
        int length = Integer.parseInt(line.substring(1));
        if (length < 0) {
          return "";
        }
        byte[] body = in.readNBytes(length + 2);
        if (body.length != length + 2) {
          throw new EOFException("connection closed in a reply");
        }
        return new String(body, 0, length, StandardCharsets.UTF_8);
      default:
        throw new IOException(args[0] + ": unexpected reply " + line);
    }
  }

  private String line() throws IOException {
    var line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("connection closed in a reply");
      }
      line.write(b);
    }
    String s = line.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** Adds the {@code name:value} lines of an INFO reply; section headers start with '#'. */
  private static void fields(String info, Map<String, String> fields) {
    info.lines()
        .filter(line -> !line.isEmpty() && line.charAt(0) != '#')
        .forEach(
            line -> {
              int colon = line.indexOf(':');
              if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
              }
            });
  }
}
