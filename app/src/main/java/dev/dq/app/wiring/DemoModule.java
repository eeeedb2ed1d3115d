package dev.dq.app.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;
import dev.dq.app.demo.Demo;
import dev.dq.app.demo.DemoStats;
import dev.dq.app.demo.SimulatedWork;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.TaskHandler;

/** The demo's handlers (one {@link SimulatedWork} per type) and its {@link DemoStats} listener. */
final class DemoModule extends AbstractModule {
  private final long seed;

  DemoModule(long seed) {
    this.seed = seed;
  }

  @Override
  protected void configure() {
    MapBinder<String, TaskHandler> handlers =
        MapBinder.newMapBinder(binder(), String.class, TaskHandler.class);
    Demo.TYPES.forEach(type -> handlers.addBinding(type).toInstance(new SimulatedWork(seed)));
    bind(DemoStats.class).toInstance(new DemoStats());
    Multibinder.newSetBinder(binder(), TaskEventListener.class).addBinding().to(DemoStats.class);
  }
}
