package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.task.Names;
import dev.dq.core.task.TaskId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Task state by id for {@link RedisBroker}: one {@code lookup.lua} call per queue and batch of ids,
 * which reads the task's hashes and sets by id (no scan of a queue).
 */
final class Lookups {
  /** Most ids one lookup call reads. */
  static final int MAX_IDS = 500;

  private final RedisGateway redis;
  private final TaskInfoCodec codec;

  Lookups(RedisGateway redis) {
    this.redis = redis;
    this.codec = new TaskInfoCodec(redis.codec());
  }

  Optional<TaskInfo> find(String queue, TaskId id) {
    Objects.requireNonNull(id, "id");
    return Optional.ofNullable(findAll(queue, List.of(id)).get(id));
  }

  Map<TaskId, TaskInfo> findAll(String queue, Collection<TaskId> ids) {
    Names.check("queue", queue);
    List<TaskId> all = List.copyOf(ids);
    Map<TaskId, TaskInfo> found = new LinkedHashMap<>();
    for (int from = 0; from < all.size(); from += MAX_IDS) {
      lookup(queue, all.subList(from, Math.min(all.size(), from + MAX_IDS)), found);
    }
    return found;
  }

  /**
   * Those of {@code ids} that have ended (succeeded, cancelled, dead), for await's poller: reads
   * only the records and the dead set, so a poll never carries payloads; the dead ones are then
   * looked up without their payloads (their {@link TaskInfo#payload} is empty). An id held again
   * (enqueued anew after its record was written) has not ended, whatever its old record says.
   */
  Map<TaskId, TaskInfo> findEnded(String queue, Collection<TaskId> ids) {
    Names.check("queue", queue);
    List<TaskId> all = List.copyOf(ids);
    Map<TaskId, TaskInfo> ended = new LinkedHashMap<>();
    List<TaskId> dead = new ArrayList<>();
    for (int from = 0; from < all.size(); from += MAX_IDS) {
      List<TaskId> chunk = all.subList(from, Math.min(all.size(), from + MAX_IDS));
      List<?> reply = call(queue, "ends", chunk);
      List<?> records = (List<?>) reply.get(0);
      List<?> deadScores = (List<?>) reply.get(1);
      for (int i = 0; i < chunk.size(); i++) {
        if (records.get(i) != null) {
          ended.put(
              chunk.get(i), TaskInfoCodec.finished(queue, chunk.get(i), text(records.get(i))));
        } else if (deadScores.get(i) != null) {
          dead.add(chunk.get(i));
        }
      }
    }
    for (int from = 0; from < dead.size(); from += MAX_IDS) {
      List<TaskId> chunk = dead.subList(from, Math.min(dead.size(), from + MAX_IDS));
      List<?> reply = call(queue, "bare", chunk);
      for (int i = 0; i < chunk.size(); i++) {
        codec
            .decode(queue, chunk.get(i), reply, i)
            .filter(info -> info.state().isTerminal())
            .ifPresent(info -> ended.put(info.id(), withoutPayload(info)));
      }
    }
    return ended;
  }

  private static TaskInfo withoutPayload(TaskInfo i) {
    return new TaskInfo(
        i.id(),
        i.queue(),
        i.state(),
        i.type(),
        i.attempt(),
        i.priority(),
        i.createdAt(),
        i.headers(),
        Optional.empty(),
        i.startedAt(),
        i.finishedAt(),
        i.lastError(),
        i.worker(),
        i.result());
  }

  private void lookup(String queue, List<TaskId> ids, Map<TaskId, TaskInfo> found) {
    List<?> reply = call(queue, "all", ids);
    for (int i = 0; i < ids.size(); i++) {
      TaskId id = ids.get(i);
      codec.decode(queue, id, reply, i).ifPresent(info -> found.put(id, info));
    }
  }

  private List<?> call(String queue, String mode, List<TaskId> ids) {
    RedisKeys k = RedisKeys.of(queue);
    List<String> args = new ArrayList<>(ids.size() + 1);
    args.add(mode);
    ids.forEach(id -> args.add(id.value()));
    return (List<?>)
        redis.scriptRetryingOnce(
            "look up " + ids.size() + " tasks of " + queue,
            Script.LOOKUP,
            List.of(
                k.tasks(),
                k.attempts(),
                k.started(),
                k.errors(),
                k.records(),
                k.active(),
                k.delayed(),
                k.dead(),
                k.failures()),
            args);
  }

  private static String text(Object v) {
    return v instanceof byte[] b
        ? new String(b, java.nio.charset.StandardCharsets.UTF_8)
        : v.toString();
  }
}
