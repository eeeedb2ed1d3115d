package dev.dq.app.wiring;

import com.google.inject.Module;
import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.adapter.redis.RedisBroker;
import dev.dq.adapter.redis.RedisUrl;
import dev.dq.app.config.AppSettings;
import dev.dq.app.config.Backends;
import dev.dq.app.config.ServerStats;
import dev.dq.core.port.Broker;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one place that knows each broker backend: its name for {@code --broker} / {@code DQ_BROKER},
 * its Guice module, the check of its settings, and how a tool opens it directly. Adding a backend
 * is its module plus one entry here; nothing else compares backend names or casts to an adapter
 * class. The modules stay free of conditionals (Guice: no {@code if} in a module).
 */
public final class BrokerRegistry implements Backends {

  /** Opens a broker outside an injector, sized by the caller (bench). */
  @FunctionalInterface
  interface Opener {
    Broker open(AppSettings app, int capacity, int connections);
  }

  /**
   * One backend.
   *
   * @param inProcess the broker lives in this JVM only
   * @param module the Guice module binding {@code Broker} and {@code DeadLetterQueue}, from the
   *     shared settings
   * @param checkUrl throws IAE (a message safe to print) if the backend cannot use the URL
   * @param stats the counters of the backend's server, for bench
   */
  record Backend(
      String name,
      boolean inProcess,
      boolean confirmsEnqueues,
      Function<AppSettings, Module> module,
      Consumer<String> checkUrl,
      Opener opener,
      Function<AppSettings, ServerStats> stats) {}

  private static final Map<String, Backend> BY_NAME =
      byName(
          new Backend(
              "memory",
              true,
              false,
              app -> new InMemoryBrokerModule(app.queueCapacity()),
              url -> {},
              (app, capacity, connections) -> InMemoryBroker.builder().capacity(capacity).build(),
              app -> ServerStats.NONE),
          new Backend(
              "redis",
              false,
              true,
              RedisBrokerModule::new,
              RedisUrl::parse,
              (app, capacity, connections) ->
                  RedisBroker.connect(
                      RedisBrokerModule.config(app)
                          .capacityPerQueue(capacity)
                          .poolSize(connections)
                          .build()),
              app -> RedisServerStats.of(RedisBrokerModule.config(app))));

  /** The registry of every backend dq ships. */
  public static final BrokerRegistry INSTANCE = new BrokerRegistry();

  private BrokerRegistry() {}

  private static Map<String, Backend> byName(Backend... backends) {
    Map<String, Backend> map = new TreeMap<>();
    for (Backend b : backends) {
      map.put(b.name(), b);
    }
    return Map.copyOf(map);
  }

  @Override
  public Set<String> names() {
    return BY_NAME.keySet();
  }

  /** In-process: nothing to install, so {@code dq demo} works out of the box. */
  @Override
  public String defaultName() {
    return "memory";
  }

  @Override
  public boolean inProcess(String name) {
    return backend(name).inProcess();
  }

  @Override
  public void check(String name, String url) {
    backend(name).checkUrl().accept(url);
  }

  @Override
  public Broker open(String name, AppSettings app, int capacity, int connections) {
    return backend(name).opener().open(app, capacity, connections);
  }

  @Override
  public ServerStats serverStats(String name, AppSettings app) {
    return backend(name).stats().apply(app);
  }

  @Override
  public boolean confirmsEnqueues(String name) {
    return backend(name).confirmsEnqueues();
  }

  /** The module of the backend {@code app} names. */
  Module module(AppSettings app) {
    return backend(app.broker()).module().apply(app);
  }

  private static Backend backend(String name) {
    Backend backend = BY_NAME.get(name);
    if (backend == null) {
      throw new IllegalArgumentException("unknown broker: " + name);
    }
    return backend;
  }
}
