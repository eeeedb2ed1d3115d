package dev.dq.adapter.redis;

import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.TaskId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The id under which the dead-letter queue lists an entry whose stored id is not a valid {@link
 * TaskId} (written by hand: a space, too long): {@code invalid-id:<sequence>:<digest>}, with the
 * entry's score in the dead set and the first 64 bits of the SHA-256 of the stored id. A stored id
 * can be longer than any task id, so the stand-in cannot hold it; it names the entry instead: look
 * up the members with that score (normally one) and pick the invalid one with that digest. It stays
 * the same as long as the entry stays dead.
 */
record StandInId(double sequence, String digest) {
  private static final String PREFIX = "invalid-id:";
  private static final int DIGEST_CHARS = 16;

  /** The stand-in for {@code storedId} dead at {@code sequence}. */
  static StandInId of(String storedId, double sequence) {
    return new StandInId(sequence, digest(storedId));
  }

  /** The stand-in that {@code id} spells, if it has that shape. */
  static Optional<StandInId> parse(TaskId id) {
    String v = id.value();
    int colon = v.lastIndexOf(':');
    if (!v.startsWith(PREFIX)
        || colon < PREFIX.length()
        || v.length() - colon - 1 != DIGEST_CHARS) {
      return Optional.empty();
    }
    String sequence = v.substring(PREFIX.length(), colon);
    try {
      double s =
          switch (sequence) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(sequence);
          };
      return Double.isNaN(s)
          ? Optional.empty()
          : Optional.of(new StandInId(s, v.substring(colon + 1)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code storedId} is a valid task id, that is, whether it needs no stand-in. */
  static boolean isValidTaskId(String storedId) {
    try {
      new TaskId(storedId);
      return true;
    } catch (InvalidTaskException e) {
      return false;
    }
  }

  /** Whether this stands in for {@code storedId}. */
  boolean standsFor(String storedId) {
    return !isValidTaskId(storedId) && digest.equals(digest(storedId));
  }

  TaskId taskId() {
    String s =
        Double.isInfinite(sequence)
            ? (sequence > 0 ? "inf" : "-inf")
            : DeadSnapshot.score(sequence);
    return new TaskId(PREFIX + s + ":" + digest);
  }

  private static String digest(String storedId) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(storedId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha, 0, DIGEST_CHARS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 not available", e);
    }
  }
}
