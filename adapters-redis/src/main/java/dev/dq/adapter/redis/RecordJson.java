package dev.dq.adapter.redis;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import java.util.Base64;
import java.util.Optional;

/**
 * The parts of a finished task's record ({@link RedisKeys#records}) that its worker knows, sent to
 * the ack scripts so that they never read nor decode the task's JSON: they add the server's start
 * stamp and finish time between {@link #head} and {@link #tail} ({@code _record.lua}).
 */
final class RecordJson {
  private RecordJson() {}

  /**
   * {@code {"state":"succeeded","type":..,"attempt":N[,"priority":P],"created_at_ms":..}}, without
   * its closing brace.
   */
  static String head(Task task) {
    StringBuilder s = new StringBuilder(96).append("{\"state\":\"succeeded\",\"type\":\"");
    JsonStringEncoder.getInstance().quoteAsString(task.type(), s);
    s.append("\",\"attempt\":").append(task.attempt());
    if (task.priority() != Task.DEFAULT_PRIORITY) {
      s.append(",\"priority\":").append(task.priority());
    }
    return s.append(",\"created_at_ms\":").append(task.createdAt().toEpochMilli()).toString();
  }

  /** {@code ,"result_b64":".."}} with a result, else {@code }}. */
  static String tail(Optional<Payload> result) {
    if (result.isEmpty()) {
      return "}";
    }
    return ",\"result_b64\":\"" + Base64.getEncoder().encodeToString(result.get().bytes()) + "\"}";
  }
}
