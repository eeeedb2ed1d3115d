package dev.dq.app.wiring;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import dev.dq.adapter.redis.RedisBrokerConfig;
import dev.dq.adapter.redis.RedisMigration;
import dev.dq.app.config.AppSettings;
import dev.dq.app.config.Backends;
import dev.dq.app.demo.DemoSession;
import dev.dq.app.demo.DemoSettings;
import dev.dq.app.demo.DemoStats;
import dev.dq.app.migrate.Migrations;
import dev.dq.app.ops.BrokerSession;
import dev.dq.app.run.RunSettings;
import dev.dq.app.run.WorkerSession;
import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.TaskHandler;
import dev.dq.core.worker.WorkerPool;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds each command's object graph, once, from its settings: the only place an injector is
 * created and asked for objects. A command receives the result (a session record) and never sees
 * Guice. Building connects nothing and starts no thread; the command starts the services it was
 * given.
 */
public final class Wiring {
  private final BrokerRegistry registry = BrokerRegistry.INSTANCE;

  /** The broker backends, for the commands that choose or check one. */
  public Backends backends() {
    return registry;
  }

  /**
   * {@code dq run}: the pool serving {@code handlers}, with task metrics on a registry of its own.
   */
  public WorkerSession worker(
      AppSettings app, RunSettings settings, Map<String, TaskHandler> handlers) {
    Injector injector =
        createInjector(app, new CoreModule(settings.pool()), new RunModule(settings, handlers));
    return new WorkerSession(
        get(injector, Broker.class),
        get(injector, DeadLetterQueue.class),
        get(injector, WorkerPool.class),
        get(injector, PrometheusRegistry.class),
        get(injector, InstantSource.class));
  }

  /**
   * {@code dq publish}, {@code dlq}, {@code stats}: a broker and its dead-letter queue, no pool.
   */
  public BrokerSession session(AppSettings app) {
    Injector injector = createInjector(app);
    return new BrokerSession(
        get(injector, Broker.class),
        get(injector, DeadLetterQueue.class),
        get(injector, InstantSource.class),
        registry.inProcess(app.broker()));
  }

  /**
   * {@code dq migrate}: the migration of the Redis at {@code redisUrl}; connects nothing yet.
   *
   * @throws IllegalArgumentException {@code redisUrl} is not a Redis URL
   */
  public Migrations.Migration migration(String redisUrl, int batch) {
    RedisMigration migration =
        RedisMigration.connect(RedisBrokerConfig.builder(redisUrl).build(), batch);
    return new Migrations.Migration() {
      @Override
      public long migrate(
          List<String> queues, boolean dryRun, Consumer<Migrations.Queue> eachQueue) {
        return migration
            .migrate(
                queues,
                dryRun,
                q ->
                    eachQueue.accept(
                        new Migrations.Queue(q.queue(), q.moved(), q.conflicts(), q.otherTypes())))
            .moved();
      }

      @Override
      public void close() {
        migration.close();
      }
    };
  }

  /** {@code dq demo}: the pool with the demo's simulated handlers and its event counter. */
  public DemoSession demo(AppSettings app, DemoSettings settings) {
    Injector injector =
        createInjector(app, new CoreModule(settings.pool()), new DemoModule(settings.seed()));
    return new DemoSession(
        get(injector, Broker.class),
        get(injector, DeadLetterQueue.class),
        get(injector, WorkerPool.class),
        get(injector, Producer.class),
        get(injector, DemoStats.class),
        get(injector, InstantSource.class));
  }

  /**
   * The instance of {@code type}, with a provider's own exception unwrapped from Guice's {@link
   * ProvisionException}, so that a command reports, say, an unreachable broker in one line.
   */
  private static <T> T get(Injector injector, Class<T> type) {
    try {
      return injector.getInstance(type);
    } catch (ProvisionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** An injector with the clock, the broker module {@code app} names, and {@code modules}. */
  static Injector createInjector(AppSettings app, Module... modules) {
    List<Module> all = new ArrayList<>(List.of(modules));
    all.add(new ClockModule());
    all.add(BrokerRegistry.INSTANCE.module(app));
    return Guice.createInjector(all);
  }
}
