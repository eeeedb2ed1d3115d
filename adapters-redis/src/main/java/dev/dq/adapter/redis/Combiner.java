package dev.dq.adapter.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Flat combining: concurrent calls that could share one round trip do. The first caller becomes the
 * leader and runs the batch operation for every request waiting at that moment (up to a total
 * weight), while later callers wait for its answer or lead the next batch. With one caller at a
 * time it adds nothing; under load the batches grow by themselves, so the worker threads of a
 * process claim and ack in large batches without a prefetch tuned for it, and Redis runs one script
 * where it would have run one per thread.
 *
 * <p>One batch runs at a time per combiner. A waiting caller cannot be interrupted out of its wait
 * (its request may be in the batch under way, whose answer it must take); it keeps the interrupt
 * for its caller to see. The wait lasts one round trip, at most the client's timeouts.
 *
 * @param <Q> a request
 * @param <A> its answer
 */
final class Combiner<Q, A> {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Slot<Q, A>> waiting = new ArrayDeque<>();
  private final ToIntFunction<Q> weight;
  private final int maxWeight;
  private boolean busy;

  /**
   * @param weight the weight of a request (tasks it asks for or carries)
   * @param maxWeight most total weight of one batch; a request heavier than that runs alone
   */
  Combiner(ToIntFunction<Q> weight, int maxWeight) {
    this.weight = weight;
    this.maxWeight = maxWeight;
  }

  /**
   * Runs {@code request}, alone or in a batch with others, and returns its answer.
   *
   * @param batch runs a batch of requests and returns one answer per request, in order; the same
   *     function for every caller of one combiner
   * @throws RuntimeException what {@code batch} threw for the batch this request was in
   */
  A submit(Q request, Function<List<Q>, List<A>> batch) {
    Slot<Q, A> me = new Slot<>(request);
    List<Slot<Q, A>> taken = new ArrayList<>();
    lock.lock();
    try {
      waiting.add(me);
      boolean interrupted = false;
      while (busy && !me.done) {
        try {
          changed.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (me.done) {
        return me.answer();
      }
      busy = true;
      waiting.remove(me);
      taken.add(me);
      int total = weight.applyAsInt(request);
      for (Iterator<Slot<Q, A>> it = waiting.iterator(); it.hasNext(); ) {
        Slot<Q, A> next = it.next();
        int w = weight.applyAsInt(next.request);
        if (total + w > maxWeight) {
          break; // first come, first served: the rest lead or join the next batch
        }
        total += w;
        taken.add(next);
        it.remove();
      }
    } finally {
      lock.unlock();
    }
    List<A> answers = null;
    RuntimeException failure = null;
    try {
      answers = batch.apply(taken.stream().map(s -> s.request).toList());
      if (answers.size() != taken.size()) {
        failure =
            new IllegalStateException(
                "batch answered " + answers.size() + " of " + taken.size() + " requests");
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      lock.lock();
      try {
        for (int i = 0; i < taken.size(); i++) {
          Slot<Q, A> slot = taken.get(i);
          if (failure == null && answers != null) {
            slot.answer = answers.get(i);
          } else {
            slot.failure =
                failure != null ? failure : new IllegalStateException("batch ended abruptly");
          }
          slot.done = true;
        }
        busy = false;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
    return me.answer();
  }

  /** Requests waiting for a batch to take them (for tests). */
  int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  private static final class Slot<Q, A> {
    final Q request;
    A answer;
    RuntimeException failure;
    boolean done;

    Slot(Q request) {
      this.request = request;
    }

    A answer() {
      if (failure != null) {
        throw failure;
      }
      return answer;
    }
  }
}
