package dev.dq.spring;

import dev.dq.core.retry.ExponentialBackoff;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.worker.WorkerPoolConfig;
import java.util.List;
import java.util.function.Supplier;

/** Turns {@code dq.*} settings into the worker pool's, naming the property of a bad value. */
final class PoolSettings {
  private PoolSettings() {}

  static WorkerPoolConfig from(DqProperties p) {
    WorkerPoolConfig.Builder b = WorkerPoolConfig.builder();
    for (String raw : p.getQueues()) {
      int eq = raw.lastIndexOf('=');
      String name = eq < 0 ? raw.trim() : raw.substring(0, eq).trim();
      if (eq < 0) {
        check("dq.queues", raw, () -> b.queue(name));
      } else {
        int weight = weight(raw, raw.substring(eq + 1).trim());
        check("dq.queues", raw, () -> b.queue(name, weight));
      }
    }
    ExponentialBackoff backoff =
        check(
            "dq.backoff-max",
            p.getBackoffMax(),
            () -> new ExponentialBackoff(p.getBackoffBase(), 2.0, p.getBackoffMax(), 0.0));
    b.retryPolicy(RetryPolicy.builder().maxAttempts(p.getMaxAttempts()).backoff(backoff).build());
    b.workers(p.getWorkers()).prefetch(p.getPrefetch()).leaseTime(p.getLeaseTime());
    if (p.getTaskTimeout() != null) {
      b.defaultTimeout(p.getTaskTimeout());
    }
    return b.build();
  }

  static List<String> queueNames(DqProperties p) {
    return from(p).queues();
  }

  private static int weight(String raw, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidDqPropertyException(
          "dq.queues", raw, "the weight after '=' must be a whole number of at least 1");
    }
  }

  private static <T> T check(String property, Object value, Supplier<T> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      throw new InvalidDqPropertyException(property, value, e.getMessage());
    }
  }
}
