package dev.dq.adapter.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.util.KeyValue;

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

  /**
   * Runs {@code script} and right after it, pipelined on the same connection, the confirmation
   * {@code durability} asks for: {@code WAITAOF 1 replicas timeout} with fsync, else {@code WAIT
   * replicas timeout}. WAIT and WAITAOF count the writes of the connection they run on, so they
   * must share the script's; two calls through the pool could land on two connections.
   *
   * @param durability a durability that {@link EnqueueDurability#confirms()}
   * @return the script's reply with the counts the server reported
   */
  Confirmed runConfirmed(
      Script script, List<String> keys, List<String> args, EnqueueDurability durability) {
    try (AbstractPipeline pipeline = jedis.pipelined()) {
      Response<Object> reply = pipeline.evalsha(script.sha1(), keys, args);
      Response<?> wait = confirm(pipeline, keys.get(0), durability);
      pipeline.sync();
      try {
        return confirmed(reply.get(), wait.get(), durability);
      } catch (JedisNoScriptException e) {
        reloads.incrementAndGet();
        reply = pipeline.eval(script.source(), keys, args);
        wait = confirm(pipeline, keys.get(0), durability);
        pipeline.sync();
        return confirmed(reply.get(), wait.get(), durability);
      }
    }
  }

  private static Response<?> confirm(
      AbstractPipeline pipeline, String sampleKey, EnqueueDurability durability) {
    long timeout = durability.timeout().toMillis();
    return durability.fsync()
        ? pipeline.waitAOF(sampleKey, 1, durability.replicas(), timeout)
        : pipeline.waitReplicas(sampleKey, durability.replicas(), timeout);
  }

  private static Confirmed confirmed(Object reply, Object wait, EnqueueDurability durability) {
    if (wait instanceof KeyValue<?, ?> aof) {
      return new Confirmed(normalize(reply), (Long) aof.getValue(), (Long) aof.getKey() > 0);
    }
    return new Confirmed(normalize(reply), (Long) wait, !durability.fsync());
  }

  /**
   * A script's reply and the confirmation that followed it on the same connection.
   *
   * @param reply the script's reply, normalized as {@link #run}'s
   * @param replicas replicas that acknowledged (WAIT) or fsynced (WAITAOF) the connection's writes
   * @param fsynced whether the primary fsynced them (WAITAOF); true when fsync was not asked for
   */
  record Confirmed(Object reply, long replicas, boolean fsynced) {}

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
