package dev.dq.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.dq.app.metrics.TaskMetrics;
import dev.dq.app.run.RunSettings;
import dev.dq.core.ops.BoundedLabels;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.TaskHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.InstantSource;
import java.util.Map;

/**
 * {@code dq run}: the handlers found on the classpath, and task metrics as one more event listener.
 */
final class RunModule extends AbstractModule {
  private final RunSettings settings;
  private final Map<String, TaskHandler> handlers;

  RunModule(RunSettings settings, Map<String, TaskHandler> handlers) {
    this.settings = settings;
    this.handlers = Map.copyOf(handlers);
  }

  @Override
  protected void configure() {
    MapBinder<String, TaskHandler> binder =
        MapBinder.newMapBinder(binder(), String.class, TaskHandler.class);
    handlers.forEach((type, handler) -> binder.addBinding(type).toInstance(handler));
  }

  /**
   * Our own registry, not the global default, so that tests and several commands in one JVM do not
   * collide.
   */
  @Provides
  @Singleton
  PrometheusRegistry registry() {
    return new PrometheusRegistry();
  }

  @Provides
  @Singleton
  TaskMetrics taskMetrics(PrometheusRegistry registry, InstantSource clock) {
    return new TaskMetrics(
        registry,
        new BoundedLabels(java.util.Set.copyOf(settings.pool().queues()), RunSettings.LABEL_CAP),
        new BoundedLabels(handlers.keySet(), RunSettings.LABEL_CAP),
        clock);
  }

  @ProvidesIntoSet
  TaskEventListener metricsListener(TaskMetrics metrics) {
    return metrics;
  }
}
