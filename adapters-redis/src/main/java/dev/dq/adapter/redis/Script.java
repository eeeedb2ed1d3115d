package dev.dq.adapter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The Lua scripts in {@code dev/dq/redis}, one per state transition; each file's header lists KEYS, ARGV, replies. */
enum Script {
  ENQUEUE("enqueue"),
  ENQUEUE_BATCH("enqueue-batch"),
  CLAIM("claim"),
  LOAD("load"),
  ACK("ack"),
  ACK_BATCH("ack-batch"),
  EXTEND("extend"),
  EXTEND_BATCH("extend-batch"),
  RETRY("retry"),
  RELEASE("release"),
  DEAD_LETTER("dead-letter"),
  RECLAIM("reclaim"),
  STATS("stats"),
  DLQ_ADD("dlq-add"),
  DLQ_REQUEUE("dlq-requeue"),
  DLQ_DELETE("dlq-delete"),
  QUEUE_DELETE("queue-delete");

  private final String file;
  private final String source;
  private final String sha1;

  Script(String name) {
    this.file = "/dev/dq/redis/" + name + ".lua";
    this.source = read(file);
    this.sha1 = sha1(source);
  }

  String file() {
    return file;
  }

  String source() {
    return source;
  }

  /** The SHA1 Redis files the script under, computed locally so no SCRIPT LOAD round trip is needed up front. */
  String sha1() {
    return sha1;
  }

  private static String read(String file) {
    try (InputStream in = Script.class.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + file);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script " + file, e);
    }
  }

  private static String sha1(String source) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 not available", e);
    }
  }
}
