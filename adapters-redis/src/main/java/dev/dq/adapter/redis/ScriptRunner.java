package dev.dq.adapter.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs the {@link Script}s by SHA. When Redis answers NOSCRIPT (after a restart or {@code SCRIPT
 * FLUSH}) it sends the source once with EVAL, which also caches it again, so callers never see the
 * difference. Replies come back with bulk strings as {@link String}, integers as {@link Long},
 * arrays as {@link List}, nil as {@code null}.
 */
final class ScriptRunner {
  private final UnifiedJedis jedis;
  private final AtomicLong reloads = new AtomicLong();

  ScriptRunner(UnifiedJedis jedis) {
    this.jedis = jedis;
  }

  Object run(Script script, List<String> keys, List<String> args) {
    Object reply;
    try {
      reply = jedis.evalsha(script.sha1(), keys, args);
    } catch (JedisNoScriptException e) {
      reloads.incrementAndGet();
      reply = jedis.eval(script.source(), keys, args);
    }
    return normalize(reply);
  }

  /** How many times a script had to be sent again after NOSCRIPT. */
  long reloads() {
    return reloads.get();
  }

  private static Object normalize(Object reply) {
    if (reply instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    if (reply instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object o : list) {
        out.add(normalize(o));
      }
      return out;
    }
    return reply;
  }
}
