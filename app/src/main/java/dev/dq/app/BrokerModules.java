package dev.dq.app;

import com.google.inject.Module;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The brokers {@code --broker} / {@code DQ_BROKER} can select, by name. Adding a broker is one entry here plus its
 * module; the modules themselves stay free of conditionals (Guice: no {@code if} in a module).
 */
final class BrokerModules {
  static final Map<String, Supplier<Module>> BY_NAME = Map.of("memory", InMemoryBrokerModule::new);

  private BrokerModules() {}

  static Module forName(String name) {
    Supplier<Module> module = BY_NAME.get(name);
    if (module == null) {
      throw new IllegalArgumentException("unknown broker: " + name);
    }
    return module.get();
  }
}
