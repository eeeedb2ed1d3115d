package dev.dq.app;

import com.google.inject.Module;
import java.util.Map;
import java.util.function.Function;

/**
 * The brokers {@code --broker} / {@code DQ_BROKER} can select, by name. Adding a broker is one entry here plus its
 * module; the modules themselves stay free of conditionals (Guice: no {@code if} in a module).
 */
final class BrokerModules {
  static final Map<String, Function<AppSettings, Module>> BY_NAME =
      Map.of(
          "memory", app -> new InMemoryBrokerModule(app.queueCapacity()),
          "redis", app -> new RedisBrokerModule(app.redisUrl(), app.queueCapacity()));

  private BrokerModules() {}

  static Module forSettings(AppSettings app) {
    Function<AppSettings, Module> module = BY_NAME.get(app.broker());
    if (module == null) {
      throw new IllegalArgumentException("unknown broker: " + app.broker());
    }
    return module.apply(app);
  }
}
