/**
 * What operators look at: the live worker processes ({@link dev.dq.core.ops.WorkerRegistry}), the
 * per-minute throughput history ({@link dev.dq.core.ops.Throughput}) and paged task lists ({@link
 * dev.dq.core.ops.TaskBrowser}), kept in the broker so that every process (a CLI, a dashboard) sees
 * the same picture. Each is an optional capability of a broker, asked with {@code instanceof}.
 */
package dev.dq.core.ops;
