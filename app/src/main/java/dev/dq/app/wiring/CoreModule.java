package dev.dq.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.dq.app.config.WorkerSettings;
import dev.dq.core.port.Broker;
import dev.dq.core.retry.ExponentialBackoff;
import dev.dq.core.retry.RetryPolicy;
import dev.dq.core.worker.LoggingTaskEventListener;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.TaskHandler;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Wires core, which carries no DI annotations, with {@code @Provides} methods. Needs a {@link
 * Broker} from a broker module and the {@link InstantSource} of {@link ClockModule} (both added by
 * {@link Wiring}). Handlers are contributed with a {@link MapBinder} keyed by task type, listeners
 * with a {@link Multibinder}; every listener receives every event, after the logging one.
 */
final class CoreModule extends AbstractModule {
  private final WorkerSettings settings;

  CoreModule(WorkerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  protected void configure() {
    // Declared here so that the pool can be built even when no module contributes a handler or
    // listener.
    MapBinder.newMapBinder(binder(), String.class, TaskHandler.class);
    Multibinder.newSetBinder(binder(), TaskEventListener.class);
  }

  @Provides
  @Singleton
  RetryPolicy retryPolicy() {
    return RetryPolicy.builder()
        .maxAttempts(settings.maxAttempts())
        .backoff(ExponentialBackoff.DEFAULT)
        .build();
  }

  @Provides
  @Singleton
  WorkerPoolConfig workerPoolConfig(RetryPolicy retryPolicy) {
    WorkerPoolConfig.Builder builder =
        WorkerPoolConfig.builder()
            .workers(settings.workers())
            .retryPolicy(retryPolicy)
            .leaseTime(settings.leaseTime())
            .prefetch(settings.prefetch())
            .ackBatch(settings.prefetch());
    for (String queue : settings.queues()) {
      Integer weight = settings.weights().get(queue);
      if (weight != null) {
        builder.queue(queue, weight);
      } else {
        builder.queue(queue);
      }
    }
    if (settings.strict()) {
      builder.strict();
    }
    settings.timeouts().forEach(builder::timeout);
    settings.concurrency().forEach(builder::concurrency);
    return builder.build();
  }

  /** Thread-safe ({@link Random} is), so the pool may draw backoff jitter from any worker. */
  @Provides
  @Singleton
  RandomGenerator random() {
    return new Random();
  }

  @ProvidesIntoSet
  TaskEventListener loggingListener() {
    return new LoggingTaskEventListener();
  }

  @Provides
  @Singleton
  TaskEventListener listener(Set<TaskEventListener> listeners) {
    return TaskEventListener.all(List.copyOf(listeners));
  }

  @Provides
  @Singleton
  WorkerPool workerPool(
      Broker broker,
      WorkerPoolConfig config,
      Map<String, TaskHandler> handlers,
      InstantSource clock,
      TaskEventListener listener,
      RandomGenerator random) {
    WorkerPool.Builder builder =
        WorkerPool.builder(broker).config(config).clock(clock).listener(listener).random(random);
    handlers.forEach(builder::handler);
    return builder.build();
  }

  @Provides
  @Singleton
  Producer producer(Broker broker, TaskEventListener listener) {
    return new Producer(broker, listener);
  }
}
