package dev.dq.chaos.proxy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A raw RESP client on one socket, for tests that must see exactly what the proxy lets through:
 * sends pipelines in one write and reads one reply frame at a time.
 */
final class RespClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final ReplyParser frames = new ReplyParser();
  private final byte[] buf = new byte[64 * 1024];
  private int start;
  private int end;

  RespClient(int port, int timeoutMillis) throws IOException {
    socket = new Socket(InetAddress.getLoopbackAddress(), port);
    socket.setSoTimeout(timeoutMillis);
    in = socket.getInputStream();
  }

  /** Sends these commands in one write: each array is one command. */
  RespClient send(String[]... commands) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] c : commands) {
      out.writeBytes(CommandParserTest.resp(c));
    }
    socket.getOutputStream().write(out.toByteArray());
    socket.getOutputStream().flush();
    return this;
  }

  /** The next reply frame, as text. */
  String reply() throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    while (true) {
      if (start == end) {
        start = 0;
        end = 0; // stays empty if the read throws
        int n = in.read(buf);
        if (n < 0) {
          throw new EOFException("connection closed");
        }
        end = n;
      }
      int at = frames.next(buf, start, end);
      int stop = at < 0 ? end : at;
      frame.write(buf, start, stop - start);
      start = stop;
      if (at >= 0) {
        return frame.toString(StandardCharsets.ISO_8859_1);
      }
    }
  }

  /** Reads one byte: -1 at end of stream. */
  int read() throws IOException {
    return start < end ? buf[start++] & 0xff : in.read();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static String[] cmd(String... args) {
    return args;
  }
}
