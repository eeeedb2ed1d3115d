package dev.dq.core.ops;

import dev.dq.core.lifecycle.TaskInfo;
import java.util.List;

/**
 * One page of a {@link TaskBrowser#list} listing.
 *
 * @param total how many tasks the listing holds now
 * @param tasks the page, in the listing's order
 */
public record TaskPage(long total, List<TaskInfo> tasks) {
  /**
   * Copies the page.
   *
   * @param total how many tasks the listing holds now
   * @param tasks the page, in the listing's order
   * @throws IllegalArgumentException {@code total} is negative
   */
  public TaskPage {
    if (total < 0) {
      throw new IllegalArgumentException("negative total: " + total);
    }
    tasks = List.copyOf(tasks);
  }
}
