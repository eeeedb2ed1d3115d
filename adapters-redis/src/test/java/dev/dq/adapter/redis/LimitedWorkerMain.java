package dev.dq.adapter.redis;

import dev.dq.core.port.Lease;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import dev.dq.testing.ForwardingBroker;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import redis.clients.jedis.RedisClient;

/**
 * A worker process for {@link LimitedWorkersIT}: the real {@link WorkerPool} on a {@link
 * RedisBroker}, until killed. Prints {@code CLAIM <id> <server ms> <attempt>} for each lease it
 * gets (the claim's Redis server time: expiry minus lease time), {@code BEGIN <id> <running> <local
 * ms>} when a handler starts ({@code running}: handlers running in every process, counted in a
 * Redis hash id → pid that this one has just joined) and {@code END <id> <local ms>} before it
 * returns.
 *
 * <p>Arguments: redis url, worker threads, prefetch, lease ms, handler sleep ms.
 */
public final class LimitedWorkerMain {
  static final String TYPE = "limited";
  static final String RUNNING = "probe:running";
  static final String QUEUE = "limited";

  private LimitedWorkerMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int threads = Integer.parseInt(args[1]);
    int prefetch = Integer.parseInt(args[2]);
    Duration lease = Duration.ofMillis(Long.parseLong(args[3]));
    long sleepMs = Long.parseLong(args[4]);
    PrintStream out = new PrintStream(System.out, true);
    String pid = Long.toString(ProcessHandle.current().pid());
    RedisBroker redis = RedisBroker.connect(RedisBrokerConfig.builder(url).build());
    java.net.URI uri = new java.net.URI(url);
    RedisClient probe = RedisClient.create(uri.getHost(), uri.getPort());
    ForwardingBroker broker =
        new ForwardingBroker(redis) {
          @Override
          public List<Lease> dequeueBatch(String queue, int max, Duration leaseTime, Duration wait)
              throws InterruptedException {
            List<Lease> got = delegate.dequeueBatch(queue, max, leaseTime, wait);
            for (Lease l : got) {
              out.println(
                  "CLAIM "
                      + l.task().id().value()
                      + " "
                      + l.expiresAt().minus(leaseTime).toEpochMilli()
                      + " "
                      + l.task().attempt());
            }
            return got;
          }
        };
    WorkerPool pool =
        WorkerPool.builder(broker)
            .config(
                WorkerPoolConfig.builder()
                    .workers(threads)
                    .queue(QUEUE)
                    .prefetch(prefetch)
                    .leaseTime(lease)
                    .reapInterval(Duration.ofMillis(500))
                    .build())
            .handler(
                TYPE,
                task -> {
                  String id = task.id().value();
                  Object running =
                      probe.eval(
                          "redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) "
                              + "return redis.call('HLEN', KEYS[1])",
                          List.of(RUNNING),
                          List.of(id, pid));
                  out.println("BEGIN " + id + " " + running + " " + System.currentTimeMillis());
                  try {
                    Thread.sleep(sleepMs);
                  } finally {
                    probe.hdel(RUNNING, id);
                    out.println("END " + id + " " + System.currentTimeMillis());
                  }
                })
            .build();
    pool.start();
    out.println("READY");
    new CountDownLatch(1).await(); // the pool's threads are daemons; live until killed
  }
}
