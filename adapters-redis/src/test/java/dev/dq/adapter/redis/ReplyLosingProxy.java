package dev.dq.adapter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on a free loopback port in front of a {@link TestRedis}, which can lose the reply to
 * one command: the command reaches Redis and runs, then the proxy drops its reply and cuts that
 * connection, as a network failure or a Redis crash right after the write would. It may then stay
 * down (every connection cut, new ones refused) until {@link #up()}, so that the client's immediate
 * retry fails too.
 *
 * <p>The command is recognised by a marker in its request bytes, e.g. a script's SHA1 (so the
 * script must have been loaded already, else the reply lost is the NOSCRIPT error). Clients send
 * one command at a time per connection.
 */
final class ReplyLosingProxy implements AutoCloseable {
  private final int target;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final AtomicReference<Fault> armed = new AtomicReference<>();
  private final AtomicInteger lost = new AtomicInteger();
  private volatile boolean down;

  private record Fault(byte[] marker, boolean thenDown) {}

  private ReplyLosingProxy(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon("proxy-accept", this::acceptLoop);
  }

  static ReplyLosingProxy to(TestRedis redis) {
    try {
      return new ReplyLosingProxy(redis.port());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "redis://127.0.0.1:" + server.getLocalPort();
  }

  /**
   * The next command containing {@code marker} runs, but its reply is lost and its connection cut.
   * Once.
   */
  void loseNextReplyTo(String marker) {
    armed.set(new Fault(marker.getBytes(StandardCharsets.UTF_8), false));
  }

  /**
   * As {@link #loseNextReplyTo}, then goes down: cuts every connection and refuses new ones until
   * {@link #up()}.
   */
  void loseNextReplyToThenGoDown(String marker) {
    armed.set(new Fault(marker.getBytes(StandardCharsets.UTF_8), true));
  }

  void up() {
    down = false;
  }

  /** How many replies were lost so far. */
  int lostReplies() {
    return lost.get();
  }

  @Override
  public void close() {
    closeQuietly(server);
    sockets.forEach(ReplyLosingProxy::closeQuietly);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (down) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        sockets.add(client);
        sockets.add(upstream);
        Connection c = new Connection(client, upstream);
        daemon("proxy-request", c::pumpRequests);
        daemon("proxy-reply", c::pumpReplies);
      } catch (IOException e) {
        closeQuietly(client);
      }
    }
  }

  private final class Connection {
    private final Socket client;
    private final Socket upstream;
    private volatile Fault loseReply;
    private byte[] tail = new byte[0];

    Connection(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void pumpRequests() {
      pump(client, upstream, true);
    }

    void pumpReplies() {
      pump(upstream, client, false);
    }

    private void pump(Socket from, Socket to, boolean requests) {
      byte[] buf = new byte[64 * 1024];
      try (InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buf)) >= 0; ) {
          if (requests) {
            inspect(buf, n);
          } else if (loseReply != null) {
            lose(loseReply);
            return;
          }
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // cut on purpose or by the peer
      } finally {
        cut();
      }
    }

    /**
     * Arms this connection if the request bytes (with the end of the previous read) hold the armed
     * marker.
     */
    private void inspect(byte[] buf, int n) {
      Fault fault = armed.get();
      if (fault == null) {
        return;
      }
      byte[] seen = new byte[tail.length + n];
      System.arraycopy(tail, 0, seen, 0, tail.length);
      System.arraycopy(buf, 0, seen, tail.length, n);
      tail =
          Arrays.copyOfRange(seen, Math.max(0, seen.length - fault.marker().length), seen.length);
      if (contains(seen, fault.marker()) && armed.compareAndSet(fault, null)) {
        loseReply = fault;
      }
    }

    private void lose(Fault fault) {
      lost.incrementAndGet();
      if (fault.thenDown()) {
        down = true; // before any cut, so that the client's retry finds the proxy down
        sockets.forEach(ReplyLosingProxy::closeQuietly);
      }
      cut();
    }

    private void cut() {
      closeQuietly(client);
      closeQuietly(upstream);
      sockets.remove(client);
      sockets.remove(upstream);
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      // closing anyway
    }
  }
}
