package dev.dq.adapter.redis;

import dev.dq.core.task.TaskLimits;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a {@link RedisBroker}. Immutable; build with {@link #builder(String)}, whose setters
 * reject a bad value at once with the value in the message (never a password).
 *
 * @param url where Redis is; see {@link RedisUrl}
 * @param capacityPerQueue most waiting (ready + delayed) tasks per queue, for all producers
 *     together
 * @param limits size limits checked on enqueue, and on claim against entries written by other
 *     producers
 * @param blockTimeout longest single blocking wait on Redis; bounds how long a dequeue takes to
 *     notice close or interruption, because Jedis blocking calls ignore {@link Thread#interrupt()}
 * @param connectTimeout TCP connect timeout
 * @param socketTimeout read timeout of ordinary commands; blocking waits get {@code blockTimeout}
 *     on top
 * @param poolSize most connections held for commands (claims, acks, enqueues). Apart from them, the
 *     idle dequeues of one queue share one blocking connection, and lease renewals have a few
 *     connections of their own, so neither waits for this pool nor holds it
 * @param reclaimBatch most expired leases one reclaim script moves; reclaims loop until none is
 *     left
 * @param cluster whether {@code url} names one node of a Redis Cluster (the others are discovered
 *     from it) rather than a standalone server; a cluster has database 0 only. Always true for a
 *     {@code redis-cluster://} URL
 * @param trust CAs a {@code rediss://} connection trusts; empty = the JVM default ({@code
 *     javax.net.ssl.trustStore} if set, else {@code cacerts}). The server certificate must also
 *     name the URL's host (hostname verification)
 * @param durability when an enqueue counts as done: once the primary applied it, or only once
 *     replicas ({@code WAIT}) and/or the primary's fsync ({@code WAITAOF}) confirm it; see {@link
 *     EnqueueDurability}
 * @param testClock test hook only: when present, scripts read "now" from it instead of the Redis
 *     server's TIME, and the age of this instance's queue-registration hints is measured on it
 */
public record RedisBrokerConfig(
    RedisUrl url,
    int capacityPerQueue,
    TaskLimits limits,
    Duration blockTimeout,
    Duration connectTimeout,
    Duration socketTimeout,
    int poolSize,
    int reclaimBatch,
    boolean cluster,
    Optional<RedisTrust> trust,
    EnqueueDurability durability,
    Optional<InstantSource> testClock) {

  /**
   * Checks the settings; each is described on the record above.
   *
   * @param url where Redis is
   * @param capacityPerQueue most waiting tasks per queue
   * @param limits size limits of a task
   * @param blockTimeout longest single blocking wait
   * @param connectTimeout TCP connect timeout
   * @param socketTimeout read timeout of ordinary commands
   * @param poolSize most connections held for commands
   * @param reclaimBatch most expired leases one reclaim moves
   * @param cluster whether {@code url} names a node of a Redis Cluster
   * @param trust CAs a {@code rediss://} connection trusts; empty = the JVM default
   * @param durability when an enqueue counts as done
   * @param testClock test hook only: the clock scripts read instead of the server's TIME
   * @throws IllegalArgumentException if {@code cluster} is set and {@code url} names a database
   *     other than 0 or is a Sentinel URL, if {@code cluster} is combined with a confirming
   *     durability, or if the durability's timeout is not shorter than {@code socketTimeout}
   */
  public RedisBrokerConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(blockTimeout, "blockTimeout");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    Objects.requireNonNull(trust, "trust");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(testClock, "testClock");
    cluster |= url.cluster();
    if (cluster && url.sentinel()) {
      throw new IllegalArgumentException(
          "cluster needs a redis:// or rediss:// seed node, not a sentinel url: " + url);
    }
    if (cluster && url.database() != 0) {
      throw new IllegalArgumentException("redis cluster has database 0 only: " + url);
    }
    if (cluster && durability.confirms()) {
      // A cluster pipeline does not follow MOVED/ASK redirections, and WAIT must share the write's
      // connection; see README "Durable enqueue".
      throw new IllegalArgumentException(
          "durable enqueue (" + durability + ") is not supported with redis cluster: " + url);
    }
    if (durability.confirms() && durability.timeout().compareTo(socketTimeout) >= 0) {
      throw new IllegalArgumentException(
          "durable timeout "
              + durability.timeout()
              + " must be shorter than socketTimeout "
              + socketTimeout
              + ": WAIT blocks on the connection for up to that long");
    }
  }

  /**
   * A builder of settings for the Redis at {@code url}, with the defaults: capacity 100,000 per
   * queue, {@link TaskLimits#DEFAULT}, block timeout 1 s, connect and socket timeouts 2 s, a pool
   * of 16 connections, reclaim batches of 100, cluster mode only for a Cluster URL, the JVM's
   * default trust, no durable enqueue.
   *
   * @param url a {@code redis://}, {@code rediss://}, Sentinel or Cluster URL; see {@link RedisUrl}
   * @return a new builder
   * @throws IllegalArgumentException if {@code url} is not a valid Redis URL
   */
  public static Builder builder(String url) {
    return new Builder(RedisUrl.parse(url));
  }

  /**
   * Largest {@code data} JSON a task hash may hold before claim dead-letters it unread: the payload
   * as base64 plus escaped headers plus room for the other fields.
   */
  long maxDataBytes() {
    long payload = 4L * ((limits.maxPayloadBytes() + 2L) / 3);
    long headers = (long) limits.maxHeaders() * (2L * 6 * limits.maxHeaderBytes() + 8);
    return payload + headers + 4096;
  }

  /** Builds a {@link RedisBrokerConfig}; each setter checks its value at once. */
  public static final class Builder {
    private final RedisUrl url;
    private int capacityPerQueue = 100_000;
    private TaskLimits limits = TaskLimits.DEFAULT;
    private Duration blockTimeout = Duration.ofSeconds(1);
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration socketTimeout = Duration.ofSeconds(2);
    private int poolSize = 16;
    private int reclaimBatch = 100;
    private boolean cluster;
    private RedisTrust trust;
    private EnqueueDurability durability = EnqueueDurability.NONE;
    private InstantSource testClock;

    private Builder(RedisUrl url) {
      this.url = url;
    }

    /**
     * Most waiting (ready + delayed) tasks per queue, for all producers together.
     *
     * @param capacity at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public Builder capacityPerQueue(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacityPerQueue must be >= 1: " + capacity);
      }
      this.capacityPerQueue = capacity;
      return this;
    }

    /**
     * Size limits checked on enqueue, and on claim against entries written by other producers.
     *
     * @param limits the limits a task must keep to
     * @return this builder
     */
    public Builder limits(TaskLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Longest single blocking wait on Redis: at least 10 ms (Redis blocks in milliseconds) and at
     * most 10 s (so close and interrupts stay prompt).
     *
     * @param timeout from 10 ms to 10 s
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is null or out of that range
     */
    public Builder blockTimeout(Duration timeout) {
      if (timeout == null
          || timeout.toMillis() < 10
          || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("blockTimeout must be 10ms..10s: " + timeout);
      }
      this.blockTimeout = timeout;
      return this;
    }

    /**
     * TCP connect timeout.
     *
     * @param timeout from 1 ms to {@link Integer#MAX_VALUE} ms
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is null or out of that range
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positiveMillis("connectTimeout", timeout);
      return this;
    }

    /**
     * Read timeout of ordinary commands; blocking waits get the block timeout on top.
     *
     * @param timeout from 1 ms to {@link Integer#MAX_VALUE} ms
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is null or out of that range
     */
    public Builder socketTimeout(Duration timeout) {
      this.socketTimeout = positiveMillis("socketTimeout", timeout);
      return this;
    }

    /**
     * Most connections held for commands (claims, acks, enqueues); blocking waits and lease
     * renewals have connections of their own.
     *
     * @param size at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public Builder poolSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("poolSize must be >= 1: " + size);
      }
      this.poolSize = size;
      return this;
    }

    /**
     * Most expired leases one reclaim script moves; reclaims loop until none is left.
     *
     * @param batch at least 1
     * @return this builder
     * @throws IllegalArgumentException if {@code batch} is below 1
     */
    public Builder reclaimBatch(int batch) {
      if (batch < 1) {
        throw new IllegalArgumentException("reclaimBatch must be >= 1: " + batch);
      }
      this.reclaimBatch = batch;
      return this;
    }

    /**
     * Treats the URL's host and port as a seed node of a Redis Cluster: the client reads the slot
     * map from it and routes every command to the node that owns its key. All keys of one queue
     * share one slot (see {@link RedisKeys}), so every script runs on one node. A {@code
     * redis-cluster://} URL sets it by itself, and {@code cluster(false)} does not unset it.
     *
     * @param cluster whether the URL names a node of a Redis Cluster
     * @return this builder
     */
    public Builder cluster(boolean cluster) {
      this.cluster = cluster;
      return this;
    }

    /**
     * The CAs to trust for {@code rediss://}; see {@link RedisTrust}. Rejected for a plain {@code
     * redis://} URL.
     *
     * @param trust the CAs to trust
     * @return this builder
     * @throws IllegalArgumentException if the URL is not {@code rediss://}
     */
    public Builder trust(RedisTrust trust) {
      Objects.requireNonNull(trust, "trust");
      if (!url.tls()) {
        throw new IllegalArgumentException("trust needs a rediss:// url: " + url);
      }
      this.trust = trust;
      return this;
    }

    /**
     * Acknowledges an enqueue only once {@code replicas} replicas confirm it with {@code WAIT},
     * within {@code timeout}; 0 turns the replica wait off. Fewer confirmations make the enqueue
     * throw {@link dev.dq.core.port.OutcomeUnknownException}. See {@link EnqueueDurability}.
     *
     * @param replicas replicas that must acknowledge, 0 or more
     * @param timeout longest wait, at least 1 ms and shorter than the socket timeout; also the
     *     timeout of {@link #durableFsync}
     * @return this builder
     * @throws IllegalArgumentException if a value is out of range
     */
    public Builder durableReplicas(int replicas, Duration timeout) {
      this.durability = new EnqueueDurability(replicas, durability.fsync(), timeout);
      return this;
    }

    /**
     * Acknowledges an enqueue only once the primary fsynced it to its append-only file ({@code
     * WAITAOF 1 0}, and {@code WAITAOF 1 N} with {@link #durableReplicas}), within the timeout set
     * by {@link #durableReplicas} (1 s by default). Needs Redis 7.2 or later with {@code appendonly
     * yes}; an older server fails the enqueue with {@link RedisUnsupportedException} before it
     * writes anything.
     *
     * @param fsync whether to wait for the fsync
     * @return this builder
     */
    public Builder durableFsync(boolean fsync) {
      this.durability = new EnqueueDurability(durability.replicas(), fsync, durability.timeout());
      return this;
    }

    /**
     * <b>Test hook.</b> Makes every script use {@code clock}'s millis as "now" instead of the Redis
     * server's TIME, so contract tests can move time with a fake clock. Never set it in production:
     * lease expiry would then depend on worker clocks agreeing.
     *
     * @param clock the clock scripts read instead of the server's TIME
     * @return this builder
     */
    public Builder testClock(InstantSource clock) {
      this.testClock = Objects.requireNonNull(clock, "testClock");
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException if the settings do not go together; see {@link
     *     RedisBrokerConfig#RedisBrokerConfig}
     */
    public RedisBrokerConfig build() {
      return new RedisBrokerConfig(
          url,
          capacityPerQueue,
          limits,
          blockTimeout,
          connectTimeout,
          socketTimeout,
          poolSize,
          reclaimBatch,
          cluster,
          Optional.ofNullable(trust),
          durability,
          Optional.ofNullable(testClock));
    }

    private static Duration positiveMillis(String what, Duration d) {
      if (d == null || d.toMillis() < 1 || d.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            what + " must be 1ms.." + Integer.MAX_VALUE + "ms: " + d);
      }
      return d;
    }
  }
}
