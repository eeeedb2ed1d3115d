/**
 * OpenTelemetry tracing for dq: {@link dev.dq.opentelemetry.DqTracing} carries the W3C trace
 * context in task headers and traces each publish and each attempt.
 */
package dev.dq.opentelemetry;
