/**
 * Global rate and concurrency limits: a {@link dev.dq.core.limit.Limit} on a task type or a queue,
 * kept in the broker and obeyed by every process that claims from it ({@link
 * dev.dq.core.limit.Limits}).
 */
package dev.dq.core.limit;
