package dev.dq.adapter.redis;

import dev.dq.core.lifecycle.TaskInfo;
import dev.dq.core.lifecycle.TaskState;
import dev.dq.core.ops.TaskBrowser;
import dev.dq.core.ops.TaskPage;
import dev.dq.core.task.TaskId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Paged task listings on Redis: {@code browse.lua} reads one page of ids and the listing's size
 * from the queue's own structures (one LLEN per priority level in use and one LRANGE per list the
 * page falls on, or one ZCARD and one ZRANGE), then {@link Lookups} turns the ids into {@link
 * TaskInfo}s: two round trips, work in proportion to the page.
 */
final class RedisTaskBrowser {
  private final RedisGateway redis;
  private final Lookups lookups;

  RedisTaskBrowser(RedisGateway redis, Lookups lookups) {
    this.redis = redis;
    this.lookups = lookups;
  }

  TaskPage list(String queue, TaskState state, long offset, int limit) {
    RedisKeys k = RedisKeys.of(queue);
    Objects.requireNonNull(state, "state");
    TaskBrowser.checkPage(offset, limit);
    List<String> keys = new ArrayList<>(k.levelBlock());
    keys.add(k.delayed());
    keys.add(k.active());
    keys.add(k.dead());
    keys.add(k.finished());
    List<?> reply =
        (List<?>)
            redis.scriptRetryingOnce(
                "list " + state.wireName() + " tasks of " + queue,
                Script.BROWSE,
                keys,
                List.of(listing(state), Long.toString(offset), Integer.toString(limit)));
    long total = (Long) reply.get(0);
    List<TaskId> ids = new ArrayList<>(reply.size() - 1);
    for (int i = 1; i < reply.size(); i++) {
      ids.add(new TaskId(RedisWorkers.text(reply.get(i))));
    }
    Map<TaskId, TaskInfo> found = lookups.findAll(queue, ids);
    List<TaskInfo> page = new ArrayList<>(found.size());
    for (TaskId id : ids) {
      TaskInfo info = found.get(id);
      if (info != null) {
        page.add(info);
      }
    }
    return new TaskPage(total, page);
  }

  private static String listing(TaskState state) {
    return switch (state) {
      case READY -> "ready";
      case DELAYED, RETRYING -> "scheduled";
      case ACTIVE -> "active";
      case DEAD -> "dead";
      case SUCCEEDED, CANCELLED -> "finished";
    };
  }
}
