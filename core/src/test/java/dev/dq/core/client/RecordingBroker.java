package dev.dq.core.client;

import dev.dq.core.lifecycle.CancelOutcome;
import dev.dq.core.lifecycle.Completion;
import dev.dq.core.lifecycle.TaskCancels;
import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskLookup;
import dev.dq.core.lifecycle.UniqueKey;
import dev.dq.core.lifecycle.UniqueOutcome;
import dev.dq.core.lifecycle.UniqueTasks;
import dev.dq.core.port.Broker;
import dev.dq.core.port.Lease;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import dev.dq.testing.ForwardingBroker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A broker that records how it was called and offers the lifecycle ports with canned answers: a
 * fake for {@link DqClient}'s own logic (which call, which arguments), not for the ports'
 * behaviour, which their contract suites test on the real brokers.
 */
final class RecordingBroker extends ForwardingBroker
    implements TaskLookup, TaskCancels, UniqueTasks {
  final List<String> calls = new ArrayList<>();
  final List<Task> tasks = new ArrayList<>();
  Optional<TaskInfo> answer = Optional.empty();
  CancelOutcome cancelAnswer = CancelOutcome.CANCELLED;
  Optional<TaskId> uniqueHolder = Optional.empty();

  RecordingBroker(Broker delegate) {
    super(delegate);
  }

  @Override
  public void enqueue(Task task, Duration timeout) throws InterruptedException {
    record("enqueue timeout=" + timeout, task);
    super.enqueue(task, timeout);
  }

  @Override
  public void enqueueAt(Task task, Instant notBefore, Duration timeout)
      throws InterruptedException {
    record("enqueueAt " + notBefore + " timeout=" + timeout, task);
    super.enqueueAt(task, notBefore, timeout);
  }

  @Override
  public void enqueueIn(Task task, Duration delay, Duration timeout) throws InterruptedException {
    record("enqueueIn " + delay + " timeout=" + timeout, task);
    super.enqueueIn(task, delay, timeout);
  }

  @Override
  public UniqueOutcome enqueueUnique(Task task, UniqueKey key, Duration delay, Duration timeout) {
    record("enqueueUnique " + key.key() + " " + key.window() + " " + delay, task);
    return uniqueHolder
        .map(holder -> new UniqueOutcome(holder, false))
        .orElseGet(() -> new UniqueOutcome(task.id(), true));
  }

  @Override
  public Optional<TaskInfo> find(String queue, TaskId id) {
    calls.add("find " + queue + " " + id);
    return answer;
  }

  @Override
  public List<Lease> complete(List<Completion> completions) {
    throw new UnsupportedOperationException("not used by the client");
  }

  @Override
  public Optional<TaskInfo> await(String queue, TaskId id, Duration timeout) {
    calls.add("await " + queue + " " + id + " " + timeout);
    return answer;
  }

  @Override
  public CancelOutcome cancel(String queue, TaskId id) {
    calls.add("cancel " + queue + " " + id);
    return cancelAnswer;
  }

  @Override
  public Set<TaskId> cancelRequested(String queue, Collection<TaskId> ids) {
    throw new UnsupportedOperationException("not used by the client");
  }

  @Override
  public void settleCancelled(Lease lease) {
    throw new UnsupportedOperationException("not used by the client");
  }

  private void record(String call, Task task) {
    calls.add(call);
    tasks.add(task);
  }
}
