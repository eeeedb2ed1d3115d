package dev.dq.adapter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on a loopback port in front of a test redis-server that loses replies the way a cut
 * connection does: the request reaches Redis and runs, but the client never sees the answer. A
 * connection whose request contains a marker (a task id, a key) is closed as soon as Redis answers,
 * and the answer is dropped. Everything else passes through unchanged.
 *
 * <p>The marker is matched on the raw RESP bytes, so it must be text that the request carries as
 * one argument, or a contiguous part of one (an id, {@code {queue}:ready}). Errors of a {@code
 * beforeCut} action are kept for {@link #failures()}, since it runs on the proxy's own thread.
 */
public final class ReplyCuttingProxy implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  private record Rule(String marker, Runnable beforeCut, boolean once) {}

  private final int targetPort;
  private final ServerSocket server;
  private final AtomicReference<Rule> rule = new AtomicReference<>();
  private final AtomicInteger cuts = new AtomicInteger();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private ReplyCuttingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon("proxy-accept", this::acceptLoop).start();
  }

  /** A proxy to the redis-server on {@code 127.0.0.1:targetPort}. */
  public static ReplyCuttingProxy to(int targetPort) {
    try {
      return new ReplyCuttingProxy(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "redis://127.0.0.1:" + port();
  }

  /**
   * Drops the reply to the next request that contains {@code marker}, after Redis ran it: runs
   * {@code beforeCut} (while the client still waits) and then closes the client's connection.
   */
  public void cutNextReplyTo(String marker, Runnable beforeCut) {
    rule.set(new Rule(marker, beforeCut, true));
  }

  /**
   * Drops the reply to every request that contains {@code marker}, closing each such connection.
   */
  public void cutEveryReplyTo(String marker) {
    rule.set(new Rule(marker, () -> {}, false));
  }

  /** How many replies were dropped. */
  public int cuts() {
    return cuts.get();
  }

  /** What {@code beforeCut} actions threw. */
  public List<Throwable> failures() {
    return failures;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(client);
        sockets.add(upstream);
        AtomicReference<Rule> armed = new AtomicReference<>();
        daemon("proxy-up", () -> requests(client, upstream, armed)).start();
        daemon("proxy-down", () -> replies(upstream, client, armed)).start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /**
   * Client to Redis: forwards every byte, arming the connection first when a request carries the
   * marker.
   */
  private void requests(Socket client, Socket upstream, AtomicReference<Rule> armed) {
    byte[] buf = new byte[CHUNK];
    String tail = "";
    try (InputStream in = client.getInputStream();
        OutputStream out = upstream.getOutputStream()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        String seen = tail + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
        Rule r = rule.get();
        if (r != null
            && armed.get() == null
            && seen.contains(r.marker())
            && (!r.once() || rule.compareAndSet(r, null))) {
          armed.set(r);
        }
        tail =
            seen.substring(
                Math.max(0, seen.length() - 256)); // a marker split across two reads still matches
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      closeQuietly(client, upstream);
    }
  }

  /**
   * Redis to client: forwards replies, or drops the one to an armed request and cuts the
   * connection.
   */
  private void replies(Socket upstream, Socket client, AtomicReference<Rule> armed) {
    byte[] buf = new byte[CHUNK];
    try (InputStream in = upstream.getInputStream();
        OutputStream out = client.getOutputStream()) {
      for (int n; (n = in.read(buf)) > 0; ) {
        Rule r = armed.get();
        if (r != null) {
          cuts.incrementAndGet();
          try {
            r.beforeCut().run();
          } catch (Throwable t) {
            failures.add(t);
          }
          return;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // either side closed
    } finally {
      closeQuietly(client, upstream);
    }
  }

  private static void closeQuietly(Socket... sockets) {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    sockets.forEach(ReplyCuttingProxy::closeQuietly);
  }
}
