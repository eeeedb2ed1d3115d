package dev.dq.chaos.proxy;

import dev.dq.chaos.proxy.Faults.Action;
import dev.dq.chaos.proxy.Faults.Decision;
import dev.dq.chaos.proxy.Faults.Kind;
import dev.dq.chaos.proxy.Faults.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection through a {@link FaultProxy} and its connection to Redis, with two named
 * daemon threads: the request pump (client to Redis, which also connects to Redis first) and the
 * reply pump (Redis to client). Each reads a chunk, waits out the latency if any, then forwards it,
 * drops it (blackhole, frozen) or acts on the command or reply in it.
 *
 * <p>The request pump numbers the commands it forwards; the reply pump numbers the replies, so
 * reply n answers command n. To stop at a command's reply the request pump sets {@link #stop}
 * before it forwards that command, so the reply pump always sees it in time.
 */
final class Connection {
  private static final Logger log = LoggerFactory.getLogger(Connection.class);
  private static final int CHUNK = 64 * 1024;
  private static final int CONNECT_TIMEOUT_MS = 1000;

  /** Where the reply pump stops: at reply {@code index}, which answers {@code command}. */
  private record Stop(
      long index, Action action, Command command, CompletableFuture<Command> done) {}

  private final String name;
  private final Socket client;
  private final int upstreamPort;
  private final Faults faults;
  private final Consumer<Connection> onClose;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CommandParser commands;
  private final ReplyParser replies = new ReplyParser();
  private final Thread requestPump;
  private volatile Thread replyPump;
  private volatile Socket upstream;
  private volatile Stop stop;

  /** Nothing more is forwarded either way; the connection waits for the client to go. */
  private volatile boolean frozen;

  /** Bytes were dropped in a blackhole: the streams are broken, so it closes when that ends. */
  private volatile boolean tainted;

  /** After a command whose reply is cut or swallowed, the client's later commands stay here. */
  private boolean requestsStopped;

  private long forwarded;
  private long answered;
  private boolean swallowing;

  Connection(
      long id,
      String proxyName,
      Socket client,
      int upstreamPort,
      Faults faults,
      Consumer<Connection> onClose) {
    this.name = "fault-proxy-" + proxyName + "-" + id;
    this.client = client;
    this.upstreamPort = upstreamPort;
    this.faults = faults;
    this.onClose = onClose;
    this.commands = new CommandParser(id);
    this.requestPump = daemon(name + "-requests", this::pumpRequests);
  }

  void start() {
    requestPump.start();
  }

  boolean tainted() {
    return tainted;
  }

  /** The threads to wait for on shutdown. */
  Thread[] threads() {
    Thread replies = replyPump;
    return replies == null ? new Thread[] {requestPump} : new Thread[] {requestPump, replies};
  }

  private void pumpRequests() {
    try {
      Socket up = new Socket();
      upstream = up;
      up.setTcpNoDelay(true);
      up.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort),
          CONNECT_TIMEOUT_MS);
      if (closed.get()) {
        up.close(); // closed while connecting: close() could not see this socket yet
        return;
      }
      replyPump = daemon(name + "-replies", this::pumpReplies);
      replyPump.start();
      pump(client.getInputStream(), up.getOutputStream(), true);
    } catch (IOException e) {
      log.debug("{}: {}", name, e.toString());
    } finally {
      close(false);
    }
  }

  private void pumpReplies() {
    try {
      pump(upstream.getInputStream(), client.getOutputStream(), false);
    } catch (IOException e) {
      log.debug("{}: {}", name, e.toString());
    } finally {
      close(false);
    }
  }

  private void pump(InputStream in, OutputStream out, boolean requests) throws IOException {
    byte[] buf = new byte[CHUNK];
    for (int n; (n = in.read(buf)) >= 0 && !closed.get(); ) {
      long arrived = System.nanoTime();
      if (n == 0 || !admit(arrived)) {
        continue;
      }
      boolean open = requests ? forwardRequests(buf, n, out) : forwardReplies(buf, n, out);
      if (!open) {
        return;
      }
    }
  }

  /**
   * Waits out the latency, then tells whether the chunk may go on: not if the connection is frozen
   * or in a blackhole. A chunk dropped in a blackhole taints the connection; if the blackhole ended
   * meanwhile (and so missed this connection), it closes here.
   */
  private boolean admit(long arrived) throws IOException {
    Mode mode = faults.mode();
    if (mode.kind() == Kind.LATENCY && !frozen) {
      waitUntil(arrived + mode.delay().toNanos());
      mode = faults.mode();
    }
    if (frozen) {
      return false;
    }
    if (mode.kind() == Kind.BLACKHOLE) {
      tainted = true;
      if (faults.mode().kind() != Kind.BLACKHOLE) {
        throw new IOException("blackholed bytes dropped");
      }
      return false;
    }
    return true;
  }

  private static void waitUntil(long deadline) throws IOException {
    try {
      for (long left; (left = deadline - System.nanoTime()) > 0; ) {
        Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while delaying", e);
    }
  }

  /** Forwards client bytes, acting on the commands in them; false once the pump should end. */
  private boolean forwardRequests(byte[] buf, int n, OutputStream out) throws IOException {
    if (requestsStopped) {
      return true;
    }
    int pos = 0;
    for (int end; pos < n && (end = commands.next(buf, pos, n)) >= 0; pos = end) {
      Command command = commands.command();
      Decision decision = faults.onCommand(command);
      switch (decision.action()) {
        case FORWARD -> forwarded++;
        case HOLD -> {
          write(out, buf, pos); // the commands before it, not the held one
          frozen = true;
          faults.held.increment();
          log.info("{}: holding {}", name, command.name());
          decision.done().complete(command);
          return true;
        }
        case SWALLOW, CUT -> {
          stop = new Stop(forwarded++, decision.action(), command, decision.done());
          requestsStopped = true;
          log.info("{}: {} the reply to {}", name, decision.action(), command.name());
          write(out, buf, end);
          return true;
        }
      }
    }
    write(out, buf, n);
    return true;
  }

  /** Forwards Redis bytes up to the reply to stop at, if any; false once the pump should end. */
  private boolean forwardReplies(byte[] buf, int n, OutputStream out) throws IOException {
    int sendUpTo = swallowing ? 0 : n;
    int pos = 0;
    while (true) {
      Stop s = stop;
      // A cut waits for the first byte of the reply (pos < n): only then has Redis surely run the
      // command, which at the end of a chunk may not even have been written upstream yet.
      if (s != null
          && !swallowing
          && answered == s.index()
          && replies.atBoundary()
          && (s.action() != Action.CUT || pos < n)) {
        write(out, buf, pos);
        if (s.action() == Action.CUT) {
          faults.cut.increment();
          log.info("{}: cut before the reply to {}", name, s.command().name());
          close(false);
          return false;
        }
        swallowing = true;
        sendUpTo = 0;
      }
      int end = pos < n ? replies.next(buf, pos, n) : -1;
      if (end < 0) {
        break;
      }
      if (!replies.lastWasPush()) {
        answered++;
      }
      pos = end;
      if (swallowing && answered == s.index() + 1) {
        frozen = true;
        faults.swallowed.increment();
        s.done().complete(s.command());
        return true;
      }
    }
    write(out, buf, sendUpTo);
    return true;
  }

  private void write(OutputStream out, byte[] buf, int len) throws IOException {
    if (len > 0) {
      out.write(buf, 0, len);
      out.flush();
      faults.bytes.add(len);
    }
  }

  /**
   * Closes both sockets, once; with {@code reset} the client gets an RST (SO_LINGER 0) instead of a
   * FIN. A rule waiting on this connection's reply fails.
   */
  void close(boolean reset) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (reset) {
      resetOnClose(client);
      resetOnClose(upstream);
    }
    closeQuietly(client);
    closeQuietly(upstream);
    requestPump.interrupt(); // a pump may be waiting out the latency
    Thread replies = replyPump;
    if (replies != null) {
      replies.interrupt();
    }
    Stop s = stop;
    if (s != null && s.done() != null && !s.done().isDone()) {
      s.done().completeExceptionally(new IOException(name + " closed before the reply"));
    }
    onClose.accept(this);
    log.debug("{}: closed{}", name, reset ? " with RST" : "");
  }

  private static void resetOnClose(Socket socket) {
    if (socket != null) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException e) {
        // closed already
      }
    }
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
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
  public String toString() {
    return name;
  }
}
