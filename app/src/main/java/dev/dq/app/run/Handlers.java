package dev.dq.app.run;

import dev.dq.app.config.BadSettingException;
import dev.dq.app.config.SettingResolver;
import dev.dq.app.handlers.Configurable;
import dev.dq.app.handlers.HandlerSettings;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.TaskHandler;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds the {@link NamedTaskHandler}s on the classpath with {@link ServiceLoader}: the built-in
 * demo handlers listed in dq.jar's {@code META-INF/services/dev.dq.core.worker.NamedTaskHandler},
 * plus those of any jar a user adds.
 */
final class Handlers {
  private Handlers() {}

  /**
   * The handlers by type, sorted. A provider that cannot be loaded, has an invalid type, or serves
   * a type that another provider serves too is a configuration error (exit 2), reported before any
   * task is taken.
   */
  static Map<String, TaskHandler> load(ClassLoader loader, RunSettings settings) {
    HandlerSettings handlerSettings = new HandlerSettings(settings.flakyRate());
    Map<String, TaskHandler> byType = new TreeMap<>();
    try {
      for (NamedTaskHandler handler : ServiceLoader.load(NamedTaskHandler.class, loader)) {
        String type = handler.type();
        if (type == null || !SettingResolver.isName(type)) {
          throw new BadSettingException(
              "handler "
                  + handler.getClass().getName()
                  + " has an invalid task type \""
                  + SettingResolver.printable(String.valueOf(type))
                  + "\"");
        }
        TaskHandler previous = byType.putIfAbsent(type, configured(handler, handlerSettings));
        if (previous != null) {
          throw new BadSettingException(
              "two handlers for task type "
                  + type
                  + ": "
                  + previous.getClass().getName()
                  + " and "
                  + handler.getClass().getName());
        }
      }
    } catch (ServiceConfigurationError e) {
      throw new BadSettingException("cannot load a task handler: " + e.getMessage());
    }
    return byType;
  }

  /** A handler that takes settings gets them; others come as loaded. */
  private static TaskHandler configured(NamedTaskHandler handler, HandlerSettings settings) {
    return handler instanceof Configurable configurable
        ? configurable.configure(settings)
        : handler;
  }
}
