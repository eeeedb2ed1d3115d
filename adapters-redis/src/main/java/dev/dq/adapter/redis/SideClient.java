package dev.dq.adapter.redis;

import dev.dq.core.port.BrokerClosedException;
import java.util.function.Supplier;
import redis.clients.jedis.UnifiedJedis;

/**
 * A client a broker keeps apart from its command pool, so that one kind of call never queues behind
 * the others: blocking waits (each holds a connection for up to a block timeout) and lease renewals
 * (which must get through while hundreds of workers claim and ack). Opened on first use, closed
 * with the broker. A broker on a client its caller owns has no side clients: every call then uses
 * that client.
 */
final class SideClient {
  private final String purpose;

  /** Builds the side client; null when calls share the command client. */
  private final Supplier<UnifiedJedis> factory;

  private final UnifiedJedis commands;
  private final ScriptRunner commandScripts;
  private final boolean usableAfterClose;
  private UnifiedJedis client;
  private ScriptRunner scripts;
  private boolean closed;

  /**
   * @param factory builds the side client on first use, or null to use {@code commands} throughout
   * @param usableAfterClose after {@link #close()}, calls go to {@code commands} (renewals must
   *     work after a broker's close); otherwise they throw {@link BrokerClosedException}
   */
  SideClient(
      String purpose,
      Supplier<UnifiedJedis> factory,
      UnifiedJedis commands,
      ScriptRunner commandScripts,
      boolean usableAfterClose) {
    this.purpose = purpose;
    this.factory = factory;
    this.commands = commands;
    this.commandScripts = commandScripts;
    this.usableAfterClose = usableAfterClose;
  }

  /**
   * @throws BrokerClosedException after {@link #close()}, unless usable after close
   * @throws RuntimeException building the client failed (a cluster client reads the slot map as it
   *     is built)
   */
  synchronized UnifiedJedis get() {
    if (factory == null || (closed && usableAfterClose)) {
      return commands;
    }
    if (closed) {
      throw new BrokerClosedException("broker closed: no more " + purpose);
    }
    if (client == null) {
      client = factory.get();
      scripts = new ScriptRunner(client);
    }
    return client;
  }

  /** The scripts bound to {@link #get()}'s client. */
  synchronized ScriptRunner scripts() {
    return get() == commands ? commandScripts : scripts;
  }

  /** Scripts sent again after NOSCRIPT on the side client itself. */
  synchronized long reloads() {
    return scripts == null ? 0 : scripts.reloads();
  }

  /** Closes the side client, if one was opened. */
  void close() {
    UnifiedJedis opened;
    synchronized (this) {
      closed = true;
      opened = client;
      client = null;
    }
    if (opened != null) {
      opened.close();
    }
  }
}
