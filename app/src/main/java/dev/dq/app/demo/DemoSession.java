package dev.dq.app.demo;

import dev.dq.core.port.Broker;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.WorkerPool;
import java.time.InstantSource;

/**
 * What {@code dq demo} works with, built by wiring: nothing started yet. {@link Demo} starts the
 * pool and closes the broker.
 */
public record DemoSession(
    Broker broker,
    DeadLetterQueue deadLetters,
    WorkerPool pool,
    Producer producer,
    DemoStats stats,
    InstantSource clock) {}
