package dev.dq.adapter.memory;

import dev.dq.core.port.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Recent acks of {@link InMemoryBroker#ackAll}, by fencing token, so that calling it again with the
 * same leases reports them acked, as the port promises (a Redis broker needs this after a lost
 * reply; this one keeps the same contract). Each is remembered for at least three times what was
 * left of its lease, and at least {@link #LEAST}, by the broker's clock. Not thread-safe: guarded
 * by the store's lock.
 *
 * <p>Every ack of a busy pool passes here, so it costs one bit: tokens are counted up by the
 * broker, so the acked ones are kept in blocks of {@link #TOKENS_PER_BLOCK} bits, and a block is
 * forgotten whole once the longest-kept ack in it is due. Old blocks are dropped as new acks come,
 * oldest first, so memory stays bounded by the ack rate even if no ack is ever repeated.
 */
final class AckMemory {
  static final Duration LEAST = Duration.ofSeconds(10);
  static final int TOKENS_PER_BLOCK = 4096;
  private static final long LEAST_NANOS = LEAST.toNanos();
  private static final int BLOCK_SHIFT = Integer.numberOfTrailingZeros(TOKENS_PER_BLOCK);

  /** The acked tokens among {@code index * TOKENS_PER_BLOCK} and the next ones. */
  private static final class Block {
    final long index;
    final long[] bits = new long[TOKENS_PER_BLOCK / Long.SIZE];
    long until; // epoch nanos

    Block(long index, long until) {
      this.index = index;
      this.until = until;
    }

    boolean has(long token) {
      return (bits[slot(token)] & (1L << token)) != 0;
    }

    void add(long token) {
      bits[slot(token)] |= 1L << token; // shifts use the low 6 bits only
    }

    private static int slot(long token) {
      return (int) (token >>> 6) & (TOKENS_PER_BLOCK / Long.SIZE - 1);
    }
  }

  private final Map<Long, Block> blocks = new HashMap<>();
  private final ArrayDeque<Block> order = new ArrayDeque<>(); // by creation, oldest first
  private Block last; // acks come mostly in token order: most land in the block of the one before

  void remember(Lease lease, Instant now) {
    long nowNanos = epochNanos(now);
    forgetOld(nowNanos);
    long keep = saturatedAdd(nowNanos, keepFor(epochNanos(lease.expiresAt()) - nowNanos));
    long index = lease.token() >> BLOCK_SHIFT;
    Block block = last != null && last.index == index ? last : blocks.get(index);
    if (block == null) {
      block = new Block(index, keep);
      blocks.put(index, block);
      order.add(block);
    } else if (keep > block.until) {
      block.until = keep;
    }
    block.add(lease.token());
    last = block;
  }

  boolean acked(Lease lease, Instant now) {
    long nowNanos = epochNanos(now);
    forgetOld(nowNanos);
    Block block = blocks.get(lease.token() >> BLOCK_SHIFT);
    return block != null && block.has(lease.token()) && block.until > nowNanos;
  }

  /** Tokens that memory has room for now, for tests: a bound on what it holds. */
  int remembered() {
    return blocks.size() * TOKENS_PER_BLOCK;
  }

  /**
   * Drops blocks from the oldest on, up to the first still remembered: memory stays bounded by the
   * ack rate.
   */
  private void forgetOld(long now) {
    for (Block b; (b = order.peek()) != null && b.until <= now; ) {
      order.poll();
      blocks.remove(b.index);
      if (b == last) {
        last = null;
      }
    }
  }

  /**
   * Three times {@code left}, at least {@link #LEAST}, in nanoseconds. Plain long arithmetic, no
   * allocation: {@link Duration#multipliedBy} goes through BigDecimal, which cost more than the
   * rest of an ack.
   */
  private static long keepFor(long leftNanos) {
    if (leftNanos <= LEAST_NANOS / 3) {
      return LEAST_NANOS;
    }
    return leftNanos > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : leftNanos * 3;
  }

  /**
   * {@code t} in nanoseconds since the epoch, saturating: exact from 1678 to 2262, far beyond any
   * broker clock.
   */
  private static long epochNanos(Instant t) {
    long seconds = t.getEpochSecond();
    if (seconds >= Long.MAX_VALUE / 1_000_000_000L) {
      return Long.MAX_VALUE;
    }
    if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
      return Long.MIN_VALUE;
    }
    return seconds * 1_000_000_000L + t.getNano();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? (sum < 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
  }
}
