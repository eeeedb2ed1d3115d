package dev.dq.adapter.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Lua scripts in {@code dev/dq/redis}, one per state transition; each file's header lists KEYS,
 * ARGV, replies. What several scripts share (reading the server's time, checking a lease) lives in
 * fragments ({@code _*.lua}) that this loader puts into each script's text, so the SHA1 Redis files
 * a script under covers the composed text.
 */
enum Script {
  /**
   * Self-contained: docs/redis-data-model.md runs this file by hand with {@code redis-cli --eval}.
   */
  ENQUEUE("enqueue"),
  ENQUEUE_BATCH("enqueue-batch", Fragment.NOW, Fragment.LEVELS),
  CLAIM("claim", Fragment.NOW, Fragment.LEVELS, Fragment.LIMITS),
  ACK("ack", Fragment.NOW, Fragment.LEASE, Fragment.RECORD),
  ACK_BATCH("ack-batch", Fragment.NOW, Fragment.RECORD),
  EXTEND("extend", Fragment.NOW, Fragment.LEASE),
  EXTEND_BATCH("extend-batch", Fragment.NOW),
  RETRY("retry", Fragment.NOW, Fragment.LEASE, Fragment.LEVELS, Fragment.CANCEL),
  RELEASE("release", Fragment.NOW, Fragment.LEASE, Fragment.LEVELS, Fragment.CANCEL),
  DEAD_LETTER("dead-letter", Fragment.NOW, Fragment.LEASE),
  RECLAIM("reclaim", Fragment.NOW, Fragment.LEVELS, Fragment.CANCEL),
  /** Cancels one task ({@link RedisCancels}). */
  CANCEL("cancel", Fragment.NOW, Fragment.LEVELS, Fragment.WAITING, Fragment.CANCEL),
  /** Makes one delayed or retrying task ready now ({@link RedisControls}). */
  RUN_NOW("run-now", Fragment.LEVELS),
  /** Deletes one waiting task, or a finished one's record ({@link RedisControls}). */
  DELETE(
      "delete", Fragment.NOW, Fragment.LEVELS, Fragment.WAITING, Fragment.CANCEL, Fragment.UNIQUE),
  /** Ends a delivery as cancelled, fenced like ack ({@link RedisCancels}). */
  SETTLE_CANCELLED("settle-cancelled", Fragment.NOW, Fragment.LEASE, Fragment.CANCEL),
  STATS("stats", Fragment.NOW, Fragment.LEVELS),
  DLQ_ADD("dlq-add"),
  DLQ_REQUEUE("dlq-requeue", Fragment.LEVELS),
  DLQ_DELETE("dlq-delete", Fragment.NOW, Fragment.UNIQUE),
  /** Read-only: one bounded, filtered step through a dead set ({@link RedisDeadLetterQueue}). */
  DLQ_SCAN("dlq-scan"),
  QUEUE_DELETE("queue-delete"),
  CRON_UPSERT("cron-upsert"),
  CRON_FIRE("cron-fire", Fragment.NOW, Fragment.LEVELS),
  CRON_ADMIN("cron-admin"),
  /** Wakes one waiting claim after a settle freed a limit's permit ({@link RedisLimits}). */
  LIMIT_WAKE("limit-wake"),
  /** Counts the ids type limits hold back in a queue ({@link RedisLimits}). */
  LIMIT_PARKED("limit-parked"),
  PAUSE("pause", Fragment.NOW),
  RESUME("resume", Fragment.LEVELS),
  PAUSED("paused", Fragment.NOW),
  /** Read-only: what a queue holds about some task ids ({@link Lookups}). */
  LOOKUP("lookup"),
  /** Removes the ended tasks beyond a queue's retention ({@link RedisRetention}). */
  TRIM("trim", Fragment.NOW, Fragment.UNIQUE),
  /** The live worker processes ({@link RedisWorkers}). */
  WORKERS("workers", Fragment.NOW),
  /** A queue's per-minute throughput ({@link RedisThroughput}). */
  THROUGHPUT("throughput", Fragment.NOW),
  /** Read-only: one page of a queue's tasks by listing ({@link RedisTaskBrowser}). */
  BROWSE("browse", Fragment.LEVELS),
  /** Moves task keys of data model v1 to v2; run by {@link RedisMigration} only. */
  MIGRATE("migrate");

  /**
   * Lua written once and put in front of the scripts that use it: the server-time read ({@code
   * server_now}), the fencing rule ({@code lease_expiry}) and the priority levels' ready lists
   * ({@code levels_desc}, {@code push_ready}, ...). Each defines local functions.
   */
  enum Fragment {
    NOW("_now"),
    LEASE("_lease"),
    LEVELS("_levels"),
    /** Global rate and concurrency limits, for the claim ({@link RedisLimits}). */
    LIMITS("_limits"),
    /** Taking one waiting task out of line wherever it waits ({@code take_waiting}). */
    WAITING("_waiting"),
    /** Ending a task as cancelled: its record, and forgetting it ({@link RedisCancels}). */
    CANCEL("_cancel"),
    /** The record a finished task leaves ({@code finished_record}), for ack and ack-batch. */
    RECORD("_record"),
    /** Releasing the unique key of a task removed for good ({@code release_unique}). */
    UNIQUE("_unique");

    private final String source;

    Fragment(String name) {
      this.source = read("/dev/dq/redis/" + name + ".lua");
    }
  }

  private final String scriptName;
  private final String file;
  private final String source;
  private final String sha1;

  Script(String name, Fragment... fragments) {
    this.scriptName = name;
    this.file = "/dev/dq/redis/" + name + ".lua";
    this.source = compose(read(file), fragments);
    this.sha1 = sha1(source);
  }

  /** The file's name without directory and extension, e.g. {@code "ack"} or {@code "dlq-add"}. */
  String scriptName() {
    return scriptName;
  }

  String file() {
    return file;
  }

  /**
   * Each script's name mapped to its SHA1, in declaration order: what {@code EVALSHA}, {@code
   * SLOWLOG} and {@code SCRIPT EXISTS} show of a script.
   */
  static Map<String, String> digests() {
    Map<String, String> digests = new LinkedHashMap<>();
    for (Script s : values()) {
      digests.put(s.scriptName, s.sha1);
    }
    return Collections.unmodifiableMap(digests);
  }

  /**
   * The text sent to Redis: the file with its fragments after its first line if that is a shebang,
   * else before it.
   */
  String source() {
    return source;
  }

  /**
   * The SHA1 Redis files the script under, computed locally so no SCRIPT LOAD round trip is needed
   * up front.
   */
  String sha1() {
    return sha1;
  }

  /**
   * Puts the fragments in front of the script's own text. A Redis 7 shebang ({@code #!lua ...})
   * must stay the first line, so they go right after it.
   */
  static String compose(String script, Fragment... fragments) {
    StringBuilder prelude = new StringBuilder();
    for (Fragment f : fragments) {
      prelude.append(f.source);
      if (!f.source.endsWith("\n")) {
        prelude.append('\n');
      }
    }
    if (!script.startsWith("#!")) {
      return prelude + script;
    }
    int eol = script.indexOf('\n');
    if (eol < 0) {
      throw new IllegalArgumentException("script has nothing but a shebang line");
    }
    return script.substring(0, eol + 1) + prelude + script.substring(eol + 1);
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
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 not available", e);
    }
  }
}
