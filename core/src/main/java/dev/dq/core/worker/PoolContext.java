package dev.dq.core.worker;

import dev.dq.core.port.Broker;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/** What every part of one pool shares. */
record PoolContext(
    Broker broker,
    WorkerPoolConfig config,
    InstantSource clock,
    TaskEventListener listener,
    RandomGenerator random,
    ScheduledExecutorService timer,
    RateLimitedLog brokerErrors,
    AtomicLong abandonedHandlers) {}
