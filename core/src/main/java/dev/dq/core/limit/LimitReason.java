package dev.dq.core.limit;

import java.util.Locale;

/** Why a claim was held back. */
public enum LimitReason {
  /** A rate limit had no start left until its next opening. */
  RATE,
  /** A concurrency limit had every permit in use. */
  CONCURRENCY;

  /**
   * The lower-case name, as metrics label it.
   *
   * @return {@code rate} or {@code concurrency}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
