package dev.dq.adapter.redis;

import dev.dq.core.port.BrokerClosedException;
import dev.dq.core.port.BrokerFullException;
import dev.dq.core.port.BrokerUnavailableException;
import dev.dq.core.task.TaskQueueException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLPeerUnverifiedException;
import redis.clients.jedis.exceptions.JedisAccessControlException;
import redis.clients.jedis.exceptions.JedisClusterOperationException;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Translates Jedis exceptions at the port, so no Jedis type escapes the adapter. Messages name the
 * endpoint without credentials; Redis error replies never echo a password.
 */
final class RedisErrors {
  private RedisErrors() {}

  /**
   * Whether a failure says nothing about the command having run, so the connection itself is
   * suspect.
   */
  static boolean isConnectionFailure(RuntimeException e) {
    return e instanceof JedisConnectionException && certificateProblem(e) == null;
  }

  /**
   * Whether a failure happened before any command could be sent: no connection could be opened
   * (refused, no route, unknown host, connect timeout) or the pool had none to lend. Any other
   * connection failure (a read timeout, a connection cut mid-reply) may have come after Redis ran
   * the command.
   */
  static boolean isBeforeSending(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (isConnectProblem(t)) {
        return true;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (isConnectProblem(suppressed)) {
          return true;
        }
      }
      String m = String.valueOf(t.getMessage());
      if (t instanceof JedisException
          && (m.startsWith("Failed to connect")
              || m.startsWith("Could not get a resource from the pool"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a failed command may have run on Redis all the same: its connection failed after the
   * command could have been sent (a read timeout, a connection cut before the reply). An error
   * reply from Redis (OOM, BUSY, LOADING) is an answer, not a lost one: that command did not run.
   */
  static boolean mayHaveRun(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof JedisConnectionException) {
        return !isBeforeSending(e);
      }
    }
    return false;
  }

  private static boolean isConnectProblem(Throwable t) {
    return t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof UnknownHostException;
  }

  static RuntimeException translate(RuntimeException e, String what, String endpoint) {
    if (e instanceof TaskQueueException tqe) {
      return tqe;
    }
    if (e instanceof JedisAccessControlException) {
      return new RedisAccessException(
          "redis at " + endpoint + " refused the credentials during " + what + ": " + firstLine(e),
          e);
    }
    Throwable certificate = certificateProblem(e);
    if (certificate != null) {
      return new RedisAccessException(
          "TLS: the certificate of redis at "
              + endpoint
              + " was rejected during "
              + what
              + " (check that the URL's host is in the certificate and that its CA is trusted): "
              + firstLine(certificate),
          e);
    }
    if (e instanceof JedisConnectionException) {
      return new BrokerUnavailableException(
          "redis at " + endpoint + " unreachable during " + what + ": " + firstLine(e), e);
    }
    if (e instanceof IllegalStateException
        && String.valueOf(e.getMessage()).contains("Pool not open")) {
      return new BrokerClosedException(
          "broker closed: connection pool to " + endpoint + " is shut", e);
    }
    if (e instanceof JedisClusterOperationException
        && String.valueOf(e.getMessage()).contains("same hashslot")) {
      // Jedis refuses a multi-key command across cluster slots before sending it: a bug in the key
      // layout.
      return new IllegalStateException(
          "redis cluster at " + endpoint + " rejected " + what + ": " + firstLine(e), e);
    }
    if (e instanceof JedisDataException && String.valueOf(e.getMessage()).startsWith("OOM")) {
      // Only scripts that add work lack the allow-oom flag, so this refuses new work, never a
      // settle or a renewal.
      return new BrokerFullException(
          "redis at "
              + endpoint
              + " refused "
              + what
              + " for lack of memory (used memory "
              + "is above maxmemory; nothing was written). Raise maxmemory (claims stop too until memory is free, so the "
              + "queues cannot drain by themselves) or purge dead letters (dq dlq purge); keep maxmemory-policy "
              + "noeviction so that Redis never evicts a task",
          e);
    }
    if (e instanceof JedisDataException && !isTransient(e)) {
      // A script error or a wrong type: a bug or foreign data, not a reason to retry forever.
      return new IllegalStateException(
          "redis at " + endpoint + " rejected " + what + ": " + firstLine(e), e);
    }
    if (e instanceof JedisException) {
      return new BrokerUnavailableException(
          "redis at " + endpoint + " failed " + what + ": " + firstLine(e), e);
    }
    return e;
  }

  /**
   * The certificate or hostname check that failed a TLS handshake, or null: a cause retrying would
   * not cure.
   */
  private static Throwable certificateProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof SSLPeerUnverifiedException) {
        return t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static boolean isTransient(RuntimeException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith("LOADING")
        || m.startsWith("BUSY")
        || m.startsWith("READONLY")
        || m.startsWith("MASTERDOWN")
        || m.startsWith("TRYAGAIN")
        || m.startsWith("CLUSTERDOWN");
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
