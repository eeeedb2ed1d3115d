package dev.dq.app.run;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.worker.WorkerPool;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.InstantSource;

/**
 * What {@code dq run} works with, built by wiring: a pool whose handlers and listeners (task
 * metrics included) are in place, nothing started yet.
 */
public record WorkerSession(
    Broker broker,
    DeadLetterQueue deadLetters,
    WorkerPool pool,
    PrometheusRegistry registry,
    InstantSource clock) {}
