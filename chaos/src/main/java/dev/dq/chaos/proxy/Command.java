package dev.dq.chaos.proxy;

import java.util.List;
import java.util.Objects;

/**
 * One command a client sent through a {@link FaultProxy}, as the proxy parsed it from the RESP
 * stream: what a {@link FaultProxy#holdNext} or {@link FaultProxy#swallowReplyOfNext} predicate
 * sees.
 *
 * @param name the command name in upper case, e.g. {@code "EVALSHA"}
 * @param args the first {@value #MAX_ARGS} arguments, each cut to {@value #MAX_ARG_CHARS}
 *     characters (bytes read as ISO-8859-1); a 1 MiB value is not kept whole
 * @param connection which proxied connection sent it, numbered from 1 in accept order
 */
public record Command(String name, List<String> args, long connection) {
  /** How many arguments a command keeps. */
  public static final int MAX_ARGS = 8;

  /** How many characters of each argument (and of the name) a command keeps. */
  public static final int MAX_ARG_CHARS = 64;

  public Command {
    Objects.requireNonNull(name, "name");
    args = List.copyOf(args);
    if (connection < 1) {
      throw new IllegalArgumentException("connection must be >= 1: " + connection);
    }
  }

  /**
   * Whether this is command {@code name} (any case) whose arguments start with {@code firstArgs}
   * (compared ignoring case, so a SHA1 matches in either case). For example {@code c.is("EVALSHA",
   * RedisBroker.scriptDigests().get("ack"))} matches an ack.
   *
   * @param name the command name
   * @param firstArgs what the first arguments must be
   * @return whether it matches
   */
  public boolean is(String name, String... firstArgs) {
    if (!this.name.equalsIgnoreCase(name) || firstArgs.length > args.size()) {
      return false;
    }
    for (int i = 0; i < firstArgs.length; i++) {
      if (!args.get(i).equalsIgnoreCase(firstArgs[i])) {
        return false;
      }
    }
    return true;
  }
}
