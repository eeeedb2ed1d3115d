package dev.dq.app.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Host header rule against DNS rebinding: a page whose domain re-resolves to this machine is
 * same-origin with the dashboard, but its requests still name that domain in {@code Host}. Allowed:
 * {@code localhost}, {@code 127.0.0.1}, {@code [::1]}, the bind address and the names given with
 * {@code --allowed-host}, each with the server's port (or none when the port is 80).
 */
final class AllowedHosts {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");

  private final Set<String> hosts;

  /**
   * @param bind the address the server listens on
   * @param extra further host names or addresses (no port)
   * @throws IllegalArgumentException if an extra value is neither a host name nor an address
   */
  AllowedHosts(InetAddress bind, Collection<String> extra) {
    Set<String> all = new HashSet<>();
    all.add("localhost");
    all.add("127.0.0.1");
    all.add(canonical("[::1]").orElseThrow());
    if (!bind.isAnyLocalAddress()) {
      all.add(bind.getHostAddress());
    }
    for (String e : extra) {
      String v = e.trim();
      Optional<String> c = canonical(v.contains(":") && !v.startsWith("[") ? "[" + v + "]" : v);
      all.add(c.orElseThrow(() -> new IllegalArgumentException("not a host name: " + e)));
    }
    this.hosts = Set.copyOf(all);
  }

  /** The {@code Host} header names an allowed host and the server's port. */
  boolean allows(String header, int port) {
    if (header == null) {
      return false;
    }
    String h = header.trim();
    int colon = h.lastIndexOf(':');
    String name = h;
    int given = 80;
    if (colon >= 0 && colon > h.lastIndexOf(']')) {
      name = h.substring(0, colon);
      try {
        given = Integer.parseInt(h.substring(colon + 1));
      } catch (NumberFormatException e) {
        return false;
      }
    }
    return given == port && canonical(name).filter(hosts::contains).isPresent();
  }

  /**
   * A host as compared: an address literal in the JDK's form (never a DNS lookup), a name in lower
   * case; empty if it is neither.
   */
  private static Optional<String> canonical(String host) {
    String literal = null;
    if (host.startsWith("[") && host.endsWith("]")) {
      literal = host.substring(1, host.length() - 1);
      if (!IPV6.matcher(literal).matches() || !literal.contains(":")) {
        return Optional.empty();
      }
    } else if (IPV4.matcher(host).matches()) {
      literal = host;
    } else if (NAME.matcher(host).matches()) {
      return Optional.of(host.toLowerCase(Locale.ROOT));
    } else {
      return Optional.empty();
    }
    try {
      // Only literals reach here: getByName parses them without asking DNS.
      return Optional.of(InetAddress.getByName(literal).getHostAddress());
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
