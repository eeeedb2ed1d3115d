package dev.dq.adapter.memory;

import dev.dq.core.port.QueuePause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The paused queues of an {@link InMemoryBroker}, by name, and who wants to hear of a pause. The
 * map is guarded by the store's lock; a pause whose {@code until} has passed on the broker's clock
 * is over (and forgotten when next read).
 */
final class Pauses {
  private final Map<String, QueuePause> byQueue = new HashMap<>(); // guarded by store.lock
  private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

  void put(QueuePause pause) {
    byQueue.put(pause.queue(), pause);
  }

  boolean remove(String queue, Instant now) {
    return current(queue, now).isPresent() & byQueue.remove(queue) != null;
  }

  /** The pause of {@code queue} at {@code now}, if any. */
  Optional<QueuePause> current(String queue, Instant now) {
    QueuePause p = byQueue.get(queue);
    if (p == null) {
      return Optional.empty();
    }
    if (p.until().isPresent() && !p.until().get().isAfter(now)) {
      byQueue.remove(queue);
      return Optional.empty();
    }
    return Optional.of(p);
  }

  /** How long the pause of {@code queue} lasts from {@code now}; null if it lasts until resumed. */
  Duration left(QueuePause pause, Instant now) {
    return pause.until().map(u -> Duration.between(now, u)).orElse(null);
  }

  List<QueuePause> all(Instant now) {
    List<QueuePause> out = new ArrayList<>();
    for (String q : new ArrayList<>(byQueue.keySet())) {
      current(q, now).ifPresent(out::add);
    }
    out.sort((a, b) -> a.queue().compareTo(b.queue()));
    return out;
  }

  void addListener(Consumer<String> listener) {
    listeners.add(listener);
  }

  /** Tells the listeners; call without the store's lock. */
  void tell(String queue) {
    for (Consumer<String> l : listeners) {
      try {
        l.accept(queue);
      } catch (RuntimeException e) {
        // a hint only: a failing listener must not fail the broker call
      }
    }
  }
}
