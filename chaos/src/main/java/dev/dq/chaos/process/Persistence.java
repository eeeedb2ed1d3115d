package dev.dq.chaos.process;

import java.util.List;

/** How a harness Redis keeps its data on disk. */
public enum Persistence {
  /** AOF, fsync before every reply: a kill -9 or an OS crash loses no acknowledged write. */
  AOF_ALWAYS(List.of("--appendonly", "yes", "--appendfsync", "always")),
  /**
   * AOF, fsync once a second: a kill -9 of Redis loses nothing (the write reached the kernel before
   * the reply), an OS crash or power loss up to about a second.
   */
  AOF_EVERYSEC(List.of("--appendonly", "yes", "--appendfsync", "everysec")),
  /** Nothing on disk: a restart comes back empty. */
  NONE(List.of("--appendonly", "no"));

  private final List<String> args;

  Persistence(List<String> args) {
    this.args = args;
  }

  List<String> args() {
    return args;
  }

  /**
   * The name used on the command line and in reports.
   *
   * @return e.g. {@code aof-always}
   */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
