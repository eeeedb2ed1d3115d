package dev.dq.core.worker;

import dev.dq.core.port.Broker;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * The services, settings and counters that every part of one pool (workers, executions, heartbeat,
 * reaper, acks) shares: its broker, config, clock, event listener and jitter source, its scheduler
 * (for timeouts), its rate-limited log of broker errors, its count of abandoned handlers, and the
 * {@link QueueSelection} its slots choose queues by.
 */
record PoolServices(
    Broker broker,
    WorkerPoolConfig config,
    InstantSource clock,
    TaskEventListener listener,
    RandomGenerator random,
    Scheduler scheduler,
    RateLimitedLog brokerErrors,
    AtomicLong abandonedHandlers,
    QueueSelection selection) {}
