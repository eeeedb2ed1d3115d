package dev.dq.app.wiring;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.dq.app.config.AppSettings;
import dev.dq.app.config.Backends;
import dev.dq.app.demo.DemoSession;
import dev.dq.app.demo.DemoSettings;
import dev.dq.app.demo.DemoStats;
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
        injector.getInstance(Broker.class),
        injector.getInstance(DeadLetterQueue.class),
        injector.getInstance(WorkerPool.class),
        injector.getInstance(PrometheusRegistry.class),
        injector.getInstance(InstantSource.class));
  }

  /**
   * {@code dq publish}, {@code dlq}, {@code stats}: a broker and its dead-letter queue, no pool.
   */
  public BrokerSession session(AppSettings app) {
    Injector injector = createInjector(app);
    return new BrokerSession(
        injector.getInstance(Broker.class),
        injector.getInstance(DeadLetterQueue.class),
        injector.getInstance(InstantSource.class),
        registry.inProcess(app.broker()));
  }

  /** {@code dq demo}: the pool with the demo's simulated handlers and its event counter. */
  public DemoSession demo(AppSettings app, DemoSettings settings) {
    Injector injector =
        createInjector(app, new CoreModule(settings.pool()), new DemoModule(settings.seed()));
    return new DemoSession(
        injector.getInstance(Broker.class),
        injector.getInstance(DeadLetterQueue.class),
        injector.getInstance(WorkerPool.class),
        injector.getInstance(Producer.class),
        injector.getInstance(DemoStats.class),
        injector.getInstance(InstantSource.class));
  }

  /** An injector with the clock, the broker module {@code app} names, and {@code modules}. */
  static Injector createInjector(AppSettings app, Module... modules) {
    List<Module> all = new ArrayList<>(List.of(modules));
    all.add(new ClockModule());
    all.add(BrokerRegistry.INSTANCE.module(app));
    return Guice.createInjector(all);
  }
}
