/**
 * dq's metrics for Micrometer: {@link dev.dq.micrometer.DqMetrics}, a {@code MeterBinder} with the
 * names and labels of {@code dq run}'s Prometheus endpoint.
 */
package dev.dq.micrometer;
