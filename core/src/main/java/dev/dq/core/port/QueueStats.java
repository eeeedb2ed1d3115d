package dev.dq.core.port;

/**
 * A snapshot of one queue's counts; the three are read together but may be stale by the time they
 * are used.
 *
 * @param ready waiting to be dequeued now, at every priority level
 * @param inFlight delivered and not yet settled
 * @param delayed waiting for a not-before time (retries and delayed tasks)
 */
public record QueueStats(String queue, long ready, long inFlight, long delayed) {}
