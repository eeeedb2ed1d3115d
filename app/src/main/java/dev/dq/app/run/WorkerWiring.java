package dev.dq.app.run;

import dev.dq.app.config.AppSettings;
import dev.dq.core.worker.TaskHandler;
import java.util.Map;

/**
 * Builds the objects of a worker process once its settings and handlers are known; implemented by
 * wiring.
 */
@FunctionalInterface
public interface WorkerWiring {
  WorkerSession build(AppSettings app, RunSettings settings, Map<String, TaskHandler> handlers);
}
