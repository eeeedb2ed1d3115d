package dev.dq.app.dashboard;

import java.net.InetAddress;
import java.util.Optional;

/**
 * The bind rule: on loopback the dashboard may serve anyone on the machine; on any other address it
 * must either check a token or refuse every action.
 */
final class Exposure {
  private Exposure() {}

  /**
   * Why the dashboard must not start, if it must not.
   *
   * @param bind the address it would listen on
   * @param tokenSet {@code DQ_DASHBOARD_TOKEN} is set (non-blank)
   * @param readOnly {@code --read-only} was given
   */
  static Optional<String> refusal(InetAddress bind, boolean tokenSet, boolean readOnly) {
    return refusal("--", bind, tokenSet, readOnly);
  }

  /**
   * As above; {@code prefix} begins the option names in the answer ({@code --dashboard-} for {@code
   * dq run}).
   */
  static Optional<String> refusal(
      String prefix, InetAddress bind, boolean tokenSet, boolean readOnly) {
    if (bind.isLoopbackAddress() || tokenSet || readOnly) {
      return Optional.empty();
    }
    return Optional.of(
        prefix
            + "bind: "
            + bind.getHostAddress()
            + " is not a loopback address; set DQ_DASHBOARD_TOKEN or give "
            + prefix
            + "read-only");
  }
}
