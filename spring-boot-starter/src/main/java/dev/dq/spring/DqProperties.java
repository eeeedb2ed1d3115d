package dev.dq.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * dq's settings under {@code dq.*}. Each setter rejects a bad value at once, so start-up fails with
 * the property's name and the value (Spring Boot reports the failed binding); settings that only
 * make sense together are checked when the beans are built ({@link InvalidDqPropertyException}).
 */
@ConfigurationProperties(prefix = "dq")
public class DqProperties {
  /** Which broker: {@code memory} (in this JVM, the default) or {@code redis}. */
  private BrokerKind broker = BrokerKind.MEMORY;

  /**
   * Queues the worker pool serves, each {@code NAME} or {@code NAME=WEIGHT} (as {@code dq run
   * --queue}; the weight is a share of the worker slots while several queues have work).
   */
  private List<String> queues = new ArrayList<>(List.of("default"));

  /** Handlers that may run at once in this process. */
  private int workers = 4;

  /** Tasks a worker claims per broker call. */
  private int prefetch = 4;

  /** Attempts in total before a task is dead-lettered. */
  private int maxAttempts = 3;

  /** Delay after the first failed attempt; doubles per attempt up to {@code dq.backoff-max}. */
  private Duration backoffBase = Duration.ofMillis(50);

  /** Longest delay between attempts. */
  private Duration backoffMax = Duration.ofSeconds(1);

  /** Time limit of one attempt; unset = none (a task's own {@code dq.timeout-ms} wins). */
  private Duration taskTimeout;

  /** How long a delivery is held before another worker may take it. */
  private Duration leaseTime = Duration.ofSeconds(8);

  private final Redis redis = new Redis();
  private final Memory memory = new Memory();
  private final Worker worker = new Worker();

  /** The broker to use. */
  public enum BrokerKind {
    /** In this JVM; nothing survives the process. */
    MEMORY,
    /** Redis, durable and shared by many processes. */
    REDIS
  }

  /**
   * {@code dq.broker}.
   *
   * @return the value
   */
  public BrokerKind getBroker() {
    return broker;
  }

  /**
   * Sets {@code dq.broker}.
   *
   * @param broker the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setBroker(BrokerKind broker) {
    this.broker = Objects.requireNonNull(broker, "dq.broker");
  }

  /**
   * {@code dq.queues}.
   *
   * @return the value
   */
  public List<String> getQueues() {
    return queues;
  }

  /**
   * Sets {@code dq.queues}.
   *
   * @param queues the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setQueues(List<String> queues) {
    if (queues == null || queues.isEmpty()) {
      throw new IllegalArgumentException("dq.queues must name at least one queue: " + queues);
    }
    this.queues = new ArrayList<>(queues);
  }

  /**
   * {@code dq.workers}.
   *
   * @return the value
   */
  public int getWorkers() {
    return workers;
  }

  /**
   * Sets {@code dq.workers}.
   *
   * @param workers the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setWorkers(int workers) {
    this.workers = atLeast("dq.workers", workers, 1, 10_000);
  }

  /**
   * {@code dq.prefetch}.
   *
   * @return the value
   */
  public int getPrefetch() {
    return prefetch;
  }

  /**
   * Sets {@code dq.prefetch}.
   *
   * @param prefetch the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setPrefetch(int prefetch) {
    this.prefetch = atLeast("dq.prefetch", prefetch, 1, 1_000);
  }

  /**
   * {@code dq.max-attempts}.
   *
   * @return the value
   */
  public int getMaxAttempts() {
    return maxAttempts;
  }

  /**
   * Sets {@code dq.max-attempts}.
   *
   * @param maxAttempts the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setMaxAttempts(int maxAttempts) {
    this.maxAttempts = atLeast("dq.max-attempts", maxAttempts, 1, 1_000);
  }

  /**
   * {@code dq.backoff-base}.
   *
   * @return the value
   */
  public Duration getBackoffBase() {
    return backoffBase;
  }

  /**
   * Sets {@code dq.backoff-base}.
   *
   * @param backoffBase the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setBackoffBase(Duration backoffBase) {
    this.backoffBase = notNegative("dq.backoff-base", backoffBase);
  }

  /**
   * {@code dq.backoff-max}.
   *
   * @return the value
   */
  public Duration getBackoffMax() {
    return backoffMax;
  }

  /**
   * Sets {@code dq.backoff-max}.
   *
   * @param backoffMax the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setBackoffMax(Duration backoffMax) {
    this.backoffMax = notNegative("dq.backoff-max", backoffMax);
  }

  /**
   * {@code dq.task-timeout}.
   *
   * @return the value
   */
  public Duration getTaskTimeout() {
    return taskTimeout;
  }

  /**
   * Sets {@code dq.task-timeout}.
   *
   * @param taskTimeout the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setTaskTimeout(Duration taskTimeout) {
    this.taskTimeout = taskTimeout == null ? null : positive("dq.task-timeout", taskTimeout);
  }

  /**
   * {@code dq.lease-time}.
   *
   * @return the value
   */
  public Duration getLeaseTime() {
    return leaseTime;
  }

  /**
   * Sets {@code dq.lease-time}.
   *
   * @param leaseTime the value
   * @throws IllegalArgumentException if it is out of range
   */
  public void setLeaseTime(Duration leaseTime) {
    this.leaseTime = positive("dq.lease-time", leaseTime);
  }

  /**
   * The {@code dq.redis.*} settings.
   *
   * @return them
   */
  public Redis getRedis() {
    return redis;
  }

  /**
   * The {@code dq.memory.*} settings.
   *
   * @return them
   */
  public Memory getMemory() {
    return memory;
  }

  /**
   * The {@code dq.worker.*} settings.
   *
   * @return them
   */
  public Worker getWorker() {
    return worker;
  }

  /** {@code dq.redis.*}. */
  public static class Redis {
    /**
     * Where Redis is: {@code redis://[user:password@]host:port[/db]} or {@code rediss://} for TLS.
     */
    private String url = "redis://127.0.0.1:6379";

    /** Most waiting (ready + delayed) tasks per queue, for all producers. */
    private int capacityPerQueue = 100_000;

    /**
     * {@code dq.redis.url}.
     *
     * @return the value
     */
    public String getUrl() {
      return url;
    }

    /**
     * Sets {@code dq.redis.url}.
     *
     * @param url the value
     * @throws IllegalArgumentException if it is out of range
     */
    public void setUrl(String url) {
      if (url == null || url.isBlank()) {
        throw new IllegalArgumentException("dq.redis.url must not be blank");
      }
      this.url = url;
    }

    /**
     * {@code dq.redis.capacity-per-queue}.
     *
     * @return the value
     */
    public int getCapacityPerQueue() {
      return capacityPerQueue;
    }

    /**
     * Sets {@code dq.redis.capacity-per-queue}.
     *
     * @param capacityPerQueue the value
     * @throws IllegalArgumentException if it is out of range
     */
    public void setCapacityPerQueue(int capacityPerQueue) {
      this.capacityPerQueue =
          atLeast("dq.redis.capacity-per-queue", capacityPerQueue, 1, Integer.MAX_VALUE);
    }
  }

  /** {@code dq.memory.*}. */
  public static class Memory {
    /** Most waiting tasks per queue. */
    private int capacityPerQueue = 10_000;

    /**
     * {@code dq.memory.capacity-per-queue}.
     *
     * @return the value
     */
    public int getCapacityPerQueue() {
      return capacityPerQueue;
    }

    /**
     * Sets {@code dq.memory.capacity-per-queue}.
     *
     * @param capacityPerQueue the value
     * @throws IllegalArgumentException if it is out of range
     */
    public void setCapacityPerQueue(int capacityPerQueue) {
      this.capacityPerQueue =
          atLeast("dq.memory.capacity-per-queue", capacityPerQueue, 1, Integer.MAX_VALUE);
    }
  }

  /** {@code dq.worker.*}. */
  public static class Worker {
    /**
     * Whether this application runs a worker pool; {@code false} for a service that only publishes.
     */
    private boolean enabled = true;

    /**
     * How long shutdown waits for running handlers before interrupting them. The pool's stop takes
     * at most this plus 2 s and Spring waits for it whatever {@code
     * spring.lifecycle.timeout-per-shutdown-phase} says; it runs before the web server's graceful
     * shutdown, so keep the sum of both within the platform's termination grace (30 s on Kubernetes
     * by default).
     */
    private Duration shutdownGrace = Duration.ofSeconds(10);

    /**
     * {@code dq.worker.enabled}.
     *
     * @return the value
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets {@code dq.worker.enabled}.
     *
     * @param enabled the value
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * {@code dq.worker.shutdown-grace}.
     *
     * @return the value
     */
    public Duration getShutdownGrace() {
      return shutdownGrace;
    }

    /**
     * Sets {@code dq.worker.shutdown-grace}.
     *
     * @param shutdownGrace the value
     * @throws IllegalArgumentException if it is out of range
     */
    public void setShutdownGrace(Duration shutdownGrace) {
      this.shutdownGrace = notNegative("dq.worker.shutdown-grace", shutdownGrace);
    }
  }

  private static int atLeast(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be from " + min + " to " + max + ": " + value);
    }
    return value;
  }

  private static Duration notNegative(String name, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be a duration >= 0: " + value);
    }
    return value;
  }

  private static Duration positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be a duration > 0: " + value);
    }
    return value;
  }
}
