package dev.dq.app.run;

import dev.dq.app.config.Setting.Rule;
import dev.dq.app.config.SettingResolver;

/**
 * One {@code --queue} value: {@code NAME} or {@code NAME=WEIGHT}. The weight follows the last
 * {@code =}, which no queue name contains ({@code :} is allowed in names, so it cannot be the
 * separator).
 *
 * @param queue the queue's name
 * @param weight its weight, 1 unless given
 * @param given whether the value named a weight ({@code --strict} refuses weights)
 */
record QueueWeight(String queue, int weight, boolean given) {
  /** Largest weight accepted; ratios beyond 1000:1 are not distinguishable over a run anyway. */
  static final int MAX_WEIGHT = 1000;

  /** The rule of a {@code --queue} value, for its {@link dev.dq.app.config.Setting} row. */
  static Rule<QueueWeight> rule() {
    return new Rule<>(
        "a queue name, optionally =WEIGHT with WEIGHT a whole number from 1 to " + MAX_WEIGHT,
        raw -> {
          int eq = raw.lastIndexOf('=');
          String name = eq < 0 ? raw : raw.substring(0, eq).trim();
          if (!SettingResolver.isName(name)) {
            return null;
          }
          if (eq < 0) {
            return new QueueWeight(name, 1, false);
          }
          int weight = Integer.parseInt(raw.substring(eq + 1).trim());
          return weight >= 1 && weight <= MAX_WEIGHT ? new QueueWeight(name, weight, true) : null;
        });
  }

  /** As written on the command line. */
  @Override
  public String toString() {
    return given ? queue + "=" + weight : queue;
  }
}
