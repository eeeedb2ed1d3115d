package dev.dq.adapter.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dq.core.schedule.Misfire;
import dev.dq.core.schedule.Overlap;
import dev.dq.core.schedule.Schedule;
import dev.dq.core.schedule.ScheduleSpec;
import dev.dq.core.task.Payload;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The stored form of a schedule (version 1), documented in {@code docs/redis-data-model.md}:
 *
 * <pre>
 * {"v":1,"name":"..","queue":"..","cron":"0 3 * * *","zone":"UTC","type":"..","payload_b64":"..",
 *  "headers":{},"misfire":"skip","overlap":"allow"}
 * </pre>
 *
 * with {@code "every_ms"} in place of {@code "cron"} for an interval. Canonical: fields in one
 * order, headers sorted, so equal schedules encode to equal bytes, which is what {@code
 * cron-upsert.lua} compares.
 */
final class ScheduleCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScheduleCodec() {}

  static String encode(Schedule s) {
    ObjectNode n = JSON.createObjectNode();
    n.put("v", 1);
    n.put("name", s.name());
    n.put("queue", s.queue());
    if (s.spec().isCron()) {
      n.put("cron", s.spec().cron());
    } else {
      n.put("every_ms", s.spec().every().toMillis());
    }
    n.put("zone", s.zone().getId());
    n.put("type", s.type());
    n.put("payload_b64", Base64.getEncoder().encodeToString(s.payload().bytes()));
    ObjectNode headers = n.putObject("headers");
    new TreeMap<>(s.headers()).forEach(headers::put);
    n.put("misfire", s.misfire().name().toLowerCase(java.util.Locale.ROOT));
    n.put("overlap", s.overlap().name().toLowerCase(java.util.Locale.ROOT));
    return n.toString();
  }

  /**
   * @throws IllegalStateException the stored text is not a schedule of version 1
   */
  static Schedule decode(String key, String json) {
    try {
      JsonNode n = JSON.readTree(json);
      if (n == null || n.path("v").asInt() != 1) {
        throw new IllegalStateException(key + ": not a schedule of version 1: " + json);
      }
      ScheduleSpec spec =
          n.hasNonNull("cron")
              ? ScheduleSpec.cron(n.get("cron").asText())
              : ScheduleSpec.every(Duration.ofMillis(n.path("every_ms").asLong()));
      Map<String, String> headers = new LinkedHashMap<>();
      n.path("headers")
          .fields()
          .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
      return new Schedule(
          n.path("name").asText(),
          n.path("queue").asText(),
          spec,
          ZoneId.of(n.path("zone").asText()),
          n.path("type").asText(),
          Payload.of(Base64.getDecoder().decode(n.path("payload_b64").asText())),
          headers,
          Misfire.parse(n.path("misfire").asText()),
          Overlap.parse(n.path("overlap").asText()));
    } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
      throw new IllegalStateException(key + ": unreadable schedule: " + e.getMessage(), e);
    }
  }
}
