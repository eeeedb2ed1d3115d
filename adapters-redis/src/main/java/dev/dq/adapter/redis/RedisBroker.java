package dev.dq.adapter.redis;

import static dev.dq.adapter.redis.Arguments.requireLeaseTime;
import static dev.dq.adapter.redis.Arguments.requireNonNegative;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.Completion;
import dev.dq.core.lifecycle.DeleteOutcome;
import dev.dq.core.lifecycle.Retention;
import dev.dq.core.lifecycle.RunNowOutcome;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskControls;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.lifecycle.TaskRetention;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.lifecycle.Trimmed;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.limit.Limit;
import dev.dq.core.limit.LimitTarget;
import dev.dq.core.limit.LimitedClaims;
import dev.dq.core.limit.Limits;
import dev.dq.core.ops.LiveWorker;
import dev.dq.core.ops.TaskBrowser;
import dev.dq.core.ops.TaskPage;
import dev.dq.core.ops.Throughput;
import dev.dq.core.ops.ThroughputCounts;
import dev.dq.core.ops.ThroughputPoint;
import dev.dq.core.ops.WorkerRegistry;
import dev.dq.core.ops.WorkerStatus;
import dev.dq.core.port.Broker;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.Lease;
import dev.dq.core.port.LeaseLostException;
import dev.dq.core.port.QueueAdmin;
import dev.dq.core.port.QueuePause;
import dev.dq.core.port.QueuePauses;
import dev.dq.core.port.QueueStats;
import dev.dq.core.schedule.ScheduleHost;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Names;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;

/**
 * A {@link Broker} on Redis, shared by any number of producer and worker processes. Every state
 * change is one Lua script (see {@code dev/dq/redis/*.lua} and {@code docs/redis-data-model.md});
 * "now" is the Redis server's TIME, so lease expiry never depends on worker clocks. Each delivery
 * carries a fencing token: a settle with a stale token changes nothing, throws {@link
 * LeaseLostException} and is counted in {@link #leaseLostCount()}.
 *
 * <p>Thread-safe. {@link #close()} stops enqueues and blocking waits and drops idle connections;
 * settling leases and draining ready tasks still work afterwards, each on a connection of its own.
 *
 * <p>A facade over one part per job, all sharing one {@link RedisGateway}: {@link Enqueuer}
 * (enqueue and its retries), {@link Claimer} (dequeue and waiting), {@link Settler} (fenced settles
 * and renewals) and {@link Admin} (reclaim, counts, queue list, operator extras).
 */
public final class RedisBroker
    implements Broker,
        QueueAdmin,
        ScheduleHost,
        Limits,
        QueuePauses,
        TaskCancels,
        TaskControls,
        TaskLookup,
        UniqueTasks,
        TaskRetention,
        WorkerRegistry,
        Throughput,
        TaskBrowser {
  private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
  private static final Map<String, String> DIGESTS = Script.digests();

  private final RedisGateway redis;
  private final RedisBrokerConfig config;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Enqueuer enqueuer;
  private final Claimer claimer;
  private final Settler settler;
  private final Admin admin;
  private final RedisDeadLetterQueue deadLetters;
  private final RedisLimits limits;
  private final Pauser pauser;
  private final RedisCancels cancels;
  private final RedisControls controls;
  private final Lookups lookups;
  private final TaskWaits waits;
  private final RedisRetention retention;
  private final RedisWorkers workerRegistry;
  private final RedisThroughput throughput;
  private final RedisTaskBrowser browser;

  private RedisBroker(UnifiedJedis jedis, boolean ownsClient, RedisBrokerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.redis = new RedisGateway(Objects.requireNonNull(jedis, "jedis"), ownsClient, config);
    this.enqueuer = new Enqueuer(redis, closed);
    this.limits = new RedisLimits(redis);
    this.pauser = new Pauser(redis);
    this.lookups = new Lookups(redis);
    this.waits = new TaskWaits(lookups);
    this.claimer = new Claimer(redis, closed, limits, pauser);
    this.settler = new Settler(redis);
    this.cancels = new RedisCancels(redis, settler);
    this.controls = new RedisControls(redis);
    this.admin = new Admin(redis, claimer);
    this.deadLetters = new RedisDeadLetterQueue(redis);
    this.retention = new RedisRetention(redis, config.testClock().orElse(InstantSource.system()));
    this.workerRegistry = new RedisWorkers(redis);
    this.throughput = new RedisThroughput(redis);
    this.browser = new RedisTaskBrowser(redis, lookups);
  }

  /**
   * A broker with its own connections, closed by {@link #close()}: a pool of {@link
   * RedisBrokerConfig#poolSize()} for commands and, apart from it, one connection per queue this
   * instance is waiting on and a few for lease renewals (each opened on first use). Connects only
   * to check the data model: one GET of {@link RedisKeys#DATA_MODEL} once a Redis is marked v2 (see
   * {@code docs/redis-data-model.md}, "Upgrading from v1"). If Redis cannot be reached or refuses
   * this client at that moment, the broker is returned unchecked and its first command fails as
   * usual.
   *
   * @param config the settings
   * @return the broker
   * @throws RedisDataModelException the Redis holds queues in data model v1 (dq 0.x) or a {@code dq
   *     migrate} that did not finish; the message says what to run
   */
  public static RedisBroker connect(RedisBrokerConfig config) {
    return new RedisBroker(RedisConnections.create(config), true, config).checkDataModel();
  }

  /**
   * Refuses a Redis that holds dq's data model v1 (see {@link DataModel}): one GET once the Redis
   * is marked v2. If Redis cannot be reached or refuses this client now, the first command reports
   * that, as before this check, and the check is not made.
   */
  private RedisBroker checkDataModel() {
    try {
      DataModel.check(redis);
    } catch (RedisDataModelException e) {
      close();
      throw e;
    } catch (BrokerUnavailableException | RedisAccessException e) {
      log.debug(
          "data model not checked, redis at {} not usable now: {}", config.url(), e.getMessage());
    }
    return this;
  }

  /**
   * A broker on a client the caller owns (and closes after this broker). Every call uses that
   * client, blocking waits too: one connection per queue this instance is waiting on, however many
   * dequeues wait.
   *
   * @param jedis the client to use
   * @param config the settings
   * @return the broker
   */
  public static RedisBroker using(UnifiedJedis jedis, RedisBrokerConfig config) {
    return new RedisBroker(jedis, false, config);
  }

  /**
   * The SHA1 of each Lua script this broker runs, by the script's file name without extension
   * ({@code "enqueue"}, {@code "claim"}, {@code "load"}, {@code "ack"}, ...; see {@code
   * dev/dq/redis/*.lua}). Redis knows a script by this digest: it is the first argument of the
   * {@code EVALSHA} calls the broker sends, and what {@code SLOWLOG GET}, {@code MONITOR} and
   * {@code SCRIPT EXISTS} show, so operators and fault-injection tools can tell which transition a
   * call is. Computed locally from the script text shipped in this jar; no connection needed.
   *
   * @return an unmodifiable map from script name to lower-case hex SHA1, in a stable order
   */
  public static Map<String, String> scriptDigests() {
    return DIGESTS;
  }

  /**
   * The periodic schedules kept in this broker's Redis; their fires enqueue into it.
   *
   * @return a view sharing this broker's connections
   */
  @Override
  public RedisSchedules schedules() {
    return new RedisSchedules(redis);
  }

  /**
   * The dead-letter queue of the same Redis, with the same capacity and limits.
   *
   * @return the dead-letter queue
   */
  public RedisDeadLetterQueue deadLetterQueue() {
    return deadLetters;
  }

  /**
   * Settles refused because their lease was no longer valid (late acks of a lost lease, among
   * others).
   *
   * @return the count since this broker was created
   */
  public long leaseLostCount() {
    return settler.leaseLostCount();
  }

  /**
   * Entries that claim moved to the dead set because they could not be decoded.
   *
   * @return the count since this broker was created
   */
  public long poisonCount() {
    return claimer.poisonCount();
  }

  /**
   * Times a script had to be sent again after NOSCRIPT.
   *
   * @return the count since this broker was created
   */
  public long scriptReloadCount() {
    return redis.scriptReloads();
  }

  @Override
  public void enqueue(Task task, Duration timeout) throws InterruptedException {
    enqueuer.enqueue(task, timeout);
  }

  @Override
  public void enqueueAt(Task task, Instant notBefore, Duration timeout)
      throws InterruptedException {
    enqueuer.enqueueAt(task, notBefore, timeout);
  }

  /**
   * The delay is added to the Redis server's TIME inside the script, so the producer's clock plays
   * no part.
   */
  @Override
  public void enqueueIn(Task task, Duration delay, Duration timeout) throws InterruptedException {
    enqueuer.enqueueIn(task, delay, timeout);
  }

  @Override
  public void enqueueAll(List<Task> tasks, Duration timeout) throws InterruptedException {
    enqueuer.enqueueAll(tasks, timeout);
  }

  /**
   * One script run does the check and the write ({@code enqueue.lua} with the unique keys); the
   * window and the delay count from the Redis server's TIME. A retry after a lost reply is exact,
   * as for {@link #enqueue}.
   */
  @Override
  public UniqueOutcome enqueueUnique(Task task, UniqueKey key, Duration delay, Duration timeout)
      throws InterruptedException {
    return enqueuer.enqueueUnique(task, key, delay, timeout);
  }

  /** Read from the hash {@code dq:retention}, cached for up to a second. */
  @Override
  public Retention retentionOf(String queue) {
    return retention.of(queue);
  }

  @Override
  public void setRetention(String queue, Retention retention) {
    this.retention.set(queue, Objects.requireNonNull(retention, "retention"));
  }

  /** One run of {@code trim.lua}: up to 500 entries of each kind. */
  @Override
  public Trimmed trim(String queue) {
    return retention.trim(queue);
  }

  @Override
  public void heartbeat(WorkerStatus status, Duration ttl) {
    workerRegistry.heartbeat(status, ttl);
  }

  @Override
  public boolean deregister(String id) {
    return workerRegistry.deregister(id);
  }

  @Override
  public List<LiveWorker> list() {
    return workerRegistry.list();
  }

  @Override
  public void record(String queue, ThroughputCounts counts) {
    throughput.record(queue, counts);
  }

  @Override
  public List<ThroughputPoint> history(String queue, int minutes) {
    return throughput.history(queue, minutes);
  }

  @Override
  public TaskPage list(String queue, TaskState state, long offset, int limit) {
    return browser.list(queue, state, offset, limit);
  }

  @Override
  public Optional<Lease> dequeue(String queue, Duration leaseTime, Duration wait)
      throws InterruptedException {
    Names.check("queue", queue);
    requireLeaseTime(leaseTime);
    requireNonNegative("wait", wait);
    redis.registerLocally(queue);
    return claimer.dequeue(RedisKeys.of(queue), leaseTime, wait);
  }

  @Override
  public List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
      throws InterruptedException {
    if (max < 1) {
      throw new IllegalArgumentException("max must be >= 1: " + max);
    }
    Names.check("queue", queue);
    requireLeaseTime(leaseTime);
    requireNonNegative("wait", wait);
    redis.registerLocally(queue);
    return claimer.dequeueBatch(RedisKeys.of(queue), max, leaseTime, wait);
  }

  /**
   * One script per queue in the batch. Redis remembers each ack by its lease's token for a while
   * (see {@link Settler#ACK_MEMORY_MIN_MS}), so a call repeated after a lost reply, immediately or
   * later, with the same leases or some of them among others, reports a lease the earlier call
   * acked as acked.
   *
   * @throws BrokerUnavailableException Redis could not be reached; the message names the tasks,
   *     whose acks may or may not have landed: call again with the same leases to find out
   */
  @Override
  public List<Lease> ackAll(List<Lease> leases) {
    List<Lease> lost = settler.ackAll(leases);
    limits.settled(leases);
    return lost;
  }

  @Override
  public Optional<TaskInfo> find(String queue, TaskId id) {
    return lookups.find(queue, id);
  }

  /** One {@code lookup.lua} call per {@value Lookups#MAX_IDS} ids. */
  @Override
  public Map<TaskId, TaskInfo> findAll(String queue, Collection<TaskId> ids) {
    return lookups.findAll(queue, ids);
  }

  /**
   * Results are stored base64 in the queue's {@code records} hash, by the same script call that
   * acks (ack-batch.lua), which stores one only for a lease that is valid then.
   *
   * @throws InvalidTaskException a result is larger than {@link
   *     dev.dq.core.task.TaskLimits#maxResultBytes} of this broker's limits; nothing was acked
   */
  @Override
  public List<Lease> complete(List<Completion> completions) {
    List<Lease> lost = settler.complete(completions);
    List<Lease> leases = new java.util.ArrayList<>(completions.size());
    completions.forEach(c -> leases.add(c.lease()));
    limits.settled(leases);
    return lost;
  }

  /**
   * Polls: one poller per broker looks up all awaited ids of a queue in one call every 50 ms (200
   * ms while nothing ends), so an end is seen within about that; never waits past {@code timeout},
   * even while Redis stalls, since the caller's thread makes no call to Redis (but for a zero
   * timeout, which looks once). A {@code DEAD} answer leaves out the task's payload ({@link #find}
   * has it).
   */
  @Override
  public Optional<TaskInfo> await(String queue, TaskId id, Duration timeout)
      throws InterruptedException {
    return waits.await(queue, id, timeout);
  }

  /** Await's poller, for tests. */
  TaskWaits taskWaits() {
    return waits;
  }

  /**
   * Exact across its own retry after a lost reply; a later call with the same lease answers lease
   * lost.
   */
  @Override
  public void ack(Lease lease) {
    settler.ack(lease);
    limits.settled(List.of(lease));
  }

  @Override
  public Lease extend(Lease lease, Duration leaseTime) {
    return settler.extend(lease, leaseTime);
  }

  /**
   * One script per queue in the batch (one round trip for all of a queue's leases), each lease
   * judged on its own. Renewing is idempotent, so a try lost with its connection is simply sent
   * again.
   */
  @Override
  public List<Optional<Lease>> extendAll(List<Lease> leases, Duration leaseTime) {
    return settler.extendAll(leases, leaseTime);
  }

  @Override
  public void retryLater(Lease lease, Duration delay) {
    settler.retryLater(lease, delay, null);
    limits.settled(List.of(lease));
  }

  /**
   * Keeps {@code lastError} in the queue's {@code errors} hash until the task ends.
   *
   * @param lease the lease of the failed delivery
   * @param delay how long until the next attempt is ready
   * @param lastError the failure of the attempt that just failed
   */
  @Override
  public void retryLater(Lease lease, Duration delay, Failure lastError) {
    Objects.requireNonNull(lastError, "lastError");
    settler.retryLater(lease, delay, lastError);
    limits.settled(List.of(lease));
  }

  @Override
  public void release(Lease lease, Duration delay) {
    settler.release(lease, delay);
    limits.settled(List.of(lease));
  }

  @Override
  public void deadLetter(Lease lease, Failure failure) {
    settler.deadLetter(lease, failure);
    limits.settled(List.of(lease));
  }

  /**
   * One script ({@code cancel.lua}). Cancelling a ready task takes its id out of its priority
   * level's list (or a type limit's parked list): O(length of that list) on the Redis server, paid
   * only by cancels (see {@code docs/redis-data-model.md}, "Cancel").
   */
  @Override
  public CancelOutcome cancel(String queue, TaskId id) {
    return cancels.cancel(queue, id);
  }

  /** One script ({@code run-now.lua}): O(log n). */
  @Override
  public RunNowOutcome runNow(String queue, TaskId id) {
    return controls.runNow(queue, id);
  }

  /**
   * One script ({@code delete.lua}); a ready task costs what its cancel costs (see {@link
   * #cancel}).
   */
  @Override
  public DeleteOutcome delete(String queue, TaskId id) {
    return controls.delete(queue, id);
  }

  /** One {@code HMGET} of the queue's {@code cancelled} hash. */
  @Override
  public Set<TaskId> cancelRequested(String queue, Collection<TaskId> ids) {
    return cancels.cancelRequested(queue, ids);
  }

  @Override
  public void settleCancelled(Lease lease) {
    cancels.settleCancelled(lease);
    limits.settled(List.of(lease));
  }

  @Override
  public int reclaimExpiredLeases() {
    return admin.reclaimExpiredLeases();
  }

  @Override
  public QueueStats stats(String queue) {
    return admin.stats(queue); // ready includes the ids a type limit holds back: they wait too
  }

  @Override
  public List<String> queues() {
    return admin.queues();
  }

  /**
   * Stores the pause in {@code dq:{q}:paused} (JSON, on the server's TIME; with a duration it
   * expires then, {@code PX}), where every claim of every process reads it first. Survives restarts
   * of workers, and of Redis as far as Redis persists its data.
   */
  @Override
  public QueuePause pause(String queue, String by, String reason, Optional<Duration> duration) {
    return pauser.pause(queue, by, reason, duration);
  }

  /** Deletes the pause and pushes wake-ups to the queue's list, so idle workers come at once. */
  @Override
  public boolean resume(String queue) {
    return pauser.resume(queue);
  }

  @Override
  public Optional<QueuePause> pauseOf(String queue) {
    return pauser.pauseOf(queue);
  }

  /** One read of the pause per known queue. */
  @Override
  public List<QueuePause> pauses() {
    return pauser.pauses(queues());
  }

  /** Told by this instance's own pauses and by its claims that find a queue paused. */
  @Override
  public void addPauseListener(Consumer<String> onPaused) {
    pauser.addListener(onPaused);
  }

  /**
   * Stops enqueues, wakes this instance's blocked dequeues, then drops an owned client's idle
   * connections.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    claimer.wakeAndAwaitWaiters(config.blockTimeout().plus(config.socketTimeout()));
    waits.close();
    redis.close();
    log.info("redis broker for {} closed", config.url());
  }

  /**
   * Removes every key of {@code queue}, and its name from the queue list, if it holds no task at
   * all (none ready, delayed, in flight or dead). For operators and benchmarks that create
   * short-lived queues; atomic, so a task enqueued concurrently is never deleted.
   *
   * @throws IllegalStateException the queue still holds tasks (the message gives the counts);
   *     nothing changed
   */
  @Override
  public void deleteQueue(String queue) {
    long parked = limits.parked(queue);
    if (parked > 0) {
      throw new IllegalStateException(
          "queue " + queue + " is not empty: " + parked + " ready, held back by a type limit");
    }
    admin.deleteQueue(queue);
  }

  /**
   * Stored in the hash {@code dq:limits}; this instance applies a change at once, other processes
   * within {@link RedisLimits#REFRESH}.
   */
  @Override
  public void setLimit(Limit limit) {
    Objects.requireNonNull(limit, "limit");
    limits.set(limit);
  }

  @Override
  public boolean removeLimit(LimitTarget target) {
    Objects.requireNonNull(target, "target");
    return limits.remove(target);
  }

  @Override
  public List<Limit> limits() {
    return limits.all();
  }

  @Override
  public List<LimitedClaims> limitedClaims() {
    return limits.counts();
  }

  /**
   * The server's {@code used_memory} from {@code INFO memory}, for capacity planning and benchmarks
   * (bytes per queued task); -1 on a cluster, where it would be one node's figure only.
   */
  @Override
  public long usedMemoryBytes() {
    return admin.usedMemoryBytes();
  }

  /**
   * The server's counters, for benchmarks that report what a run cost it: every field of {@code
   * INFO cpu} and {@code INFO commandstats} by name ({@code used_cpu_user_main_thread} = {@code
   * "1.234567"}, {@code cmdstat_evalsha} = {@code "calls=3,usec=..."}); empty on a cluster, where
   * they would be one node's only.
   *
   * @return the fields
   * @throws dev.dq.core.port.BrokerUnavailableException Redis cannot be reached
   */
  public Map<String, String> serverCounters() {
    return admin.serverCounters();
  }

  /**
   * The client of ordinary commands (claims, acks, enqueues); package-private for tests that
   * exhaust its pool.
   */
  UnifiedJedis commandClient() {
    return redis.jedis();
  }

  @Override
  public String toString() {
    return "RedisBroker[" + config.url() + "]";
  }
}
