package dev.dq.adapter.redis;

import java.time.Duration;

/** What a fault test prints: how many tasks went where, and how long recovery took. */
record Figures(
    String test,
    long accepted,
    long completed,
    long deadLettered,
    long lost,
    long duplicated,
    Duration recovery) {

  Figures print() {
    System.out.printf(
        "FAULT %-34s accepted=%d completed=%d dead-lettered=%d lost=%d duplicated=%d recovery=%s%n",
        test,
        accepted,
        completed,
        deadLettered,
        lost,
        duplicated,
        recovery == null ? "n/a" : recovery.toMillis() + "ms");
    return this;
  }
}
