package dev.dq.app;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.TaskHandler;
import java.util.List;

/** The demo's handlers (one {@link SimulatedWork} per type) and its {@link DemoStats} listener. */
final class DemoModule extends AbstractModule {
  static final List<String> TYPES = List.of("email", "resize");

  private final long seed;

  DemoModule(long seed) {
    this.seed = seed;
  }

  @Override
  protected void configure() {
    MapBinder<String, TaskHandler> handlers = MapBinder.newMapBinder(binder(), String.class, TaskHandler.class);
    TYPES.forEach(type -> handlers.addBinding(type).toInstance(new SimulatedWork(seed)));
    bind(DemoStats.class).toInstance(new DemoStats());
    Multibinder.newSetBinder(binder(), TaskEventListener.class).addBinding().to(DemoStats.class);
  }
}
