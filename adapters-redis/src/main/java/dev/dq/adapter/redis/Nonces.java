package dev.dq.adapter.redis;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names for single calls, so that a script can tell a retry of the same call from another call: a
 * random prefix per instance and a sequence, unique across processes without a random draw per
 * call. Thread-safe.
 */
final class Nonces {
  private final String prefix = UUID.randomUUID().toString();
  private final AtomicLong seq = new AtomicLong();

  String next() {
    return prefix + ":" + seq.incrementAndGet();
  }
}
