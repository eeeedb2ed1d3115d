package dev.dq.opentelemetry;

import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.task.Task;
import dev.dq.core.worker.Producer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Producer} whose every publish runs in a {@code PRODUCER} span and sends its tasks with
 * that span's trace headers (see {@link DqTracing}). Each method returns the tasks as enqueued,
 * headers included. Thread-safe. Get one from {@link DqTracing#producer}.
 */
public final class TracingProducer {
  private final DqTracing tracing;
  private final Producer producer;

  TracingProducer(DqTracing tracing, Producer producer) {
    this.tracing = tracing;
    this.producer = producer;
  }

  /** One enqueue call of the producer, given the traced task. */
  @FunctionalInterface
  private interface Send<T> {
    T to(Task traced) throws InterruptedException;
  }

  /**
   * See {@link Producer#publish}.
   *
   * @param task the task
   * @param timeout how long to wait for room
   * @return the task as enqueued
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  public Task publish(Task task, Duration timeout) throws InterruptedException {
    return traced(
        task,
        t -> {
          producer.publish(t, timeout);
          return t;
        });
  }

  /**
   * See {@link Producer#publishAt}.
   *
   * @param task the task
   * @param notBefore when it becomes ready
   * @param timeout how long to wait for room
   * @return the task as enqueued
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  public Task publishAt(Task task, Instant notBefore, Duration timeout)
      throws InterruptedException {
    return traced(
        task,
        t -> {
          producer.publishAt(t, notBefore, timeout);
          return t;
        });
  }

  /**
   * See {@link Producer#publishUnique}.
   *
   * @param task the task
   * @param key its unique key
   * @param delay how long after its arrival it becomes ready; zero: at once
   * @param timeout how long to wait for room
   * @return the id of the task that holds the key, and whether this call enqueued it
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  public UniqueOutcome publishUnique(Task task, UniqueKey key, Duration delay, Duration timeout)
      throws InterruptedException {
    return traced(task, t -> producer.publishUnique(t, key, delay, timeout));
  }

  /**
   * See {@link Producer#publishAll}: one span for the batch, whose context every task carries.
   *
   * @param tasks the tasks, all of one queue
   * @param timeout how long to wait for room for the whole batch
   * @return the tasks as enqueued
   * @throws InterruptedException interrupted while waiting; nothing was enqueued
   */
  public List<Task> publishAll(List<Task> tasks, Duration timeout) throws InterruptedException {
    if (tasks.isEmpty()) {
      producer.publishAll(tasks, timeout);
      return List.of();
    }
    Span span = tracing.publishSpan(tasks.get(0).queue(), tasks.size()).startSpan();
    try (Scope scope = span.makeCurrent()) {
      List<Task> traced = new ArrayList<>(tasks.size());
      for (Task t : tasks) {
        traced.add(tracing.inject(t));
      }
      producer.publishAll(traced, timeout);
      return List.copyOf(traced);
    } catch (InterruptedException | RuntimeException e) {
      DqTracing.fail(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  private <T> T traced(Task task, Send<T> send) throws InterruptedException {
    Span span =
        tracing
            .publishSpan(task.queue(), 1)
            .setAttribute(DqTracing.MESSAGE_ID, task.id().value())
            .setAttribute(DqTracing.TASK_TYPE_KEY, task.type())
            .startSpan();
    try (Scope scope = span.makeCurrent()) {
      return send.to(tracing.inject(task));
    } catch (InterruptedException | RuntimeException e) {
      DqTracing.fail(span, e);
      throw e;
    } finally {
      span.end();
    }
  }
}
