package dev.dq.app.dashboard;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The dashboard's request checks: the token (bearer header for the API, a session cookie for the
 * browser), the CSRF token of every action, and the same-origin check of every action. One per
 * process. With a token the CSRF value is derived from it (and the session cookie's value), so
 * every dashboard process behind a load balancer accepts the forms of every other; without one
 * (loopback only) it is random per process.
 */
final class Guard {
  static final String COOKIE = "dq_dashboard";

  /** The headers every response carries. */
  static final String CSP =
      "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
          + "form-action 'self'; frame-ancestors 'none'";

  private static final String SESSION_LABEL = "dq-dashboard-session";
  private static final String CSRF_LABEL = "dq-dashboard-csrf:";

  private final Optional<String> token;
  private final String csrf;
  private final Optional<String> session;

  /**
   * @param token the token every request must carry, if any
   * @param random the source of the CSRF token
   */
  Guard(Optional<String> token, SecureRandom random) {
    this.token = token.filter(t -> !t.isBlank());
    this.session = this.token.map(t -> hmac(t, SESSION_LABEL));
    this.csrf =
        this.token
            .map(t -> hmac(t, CSRF_LABEL + session.orElseThrow()))
            .orElseGet(
                () -> {
                  byte[] bytes = new byte[24];
                  random.nextBytes(bytes);
                  return HexFormat.of().formatHex(bytes);
                });
  }

  /**
   * The CSRF token of every form: the same in every process that has the same dashboard token,
   * random per process without one.
   */
  String csrf() {
    return csrf;
  }

  boolean tokenRequired() {
    return token.isPresent();
  }

  /** Sets the security headers on a response. */
  static void secure(Headers h) {
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    // Not no-referrer: with it a browser's form POST over plain HTTP to a non-loopback address
    // carries Origin: null (and no Sec-Fetch-Site), so the same-origin check refuses every action.
    h.set("Referrer-Policy", "same-origin");
    h.set("X-Frame-Options", "DENY");
    h.set("Cache-Control", "no-store");
  }

  /** The API request carries {@code Authorization: Bearer <token>}, or no token is required. */
  boolean apiAllowed(Headers request) {
    if (token.isEmpty()) {
      return true;
    }
    String auth = request.getFirst("Authorization");
    return auth != null
        && auth.startsWith("Bearer ")
        && same(auth.substring("Bearer ".length()).trim(), token.get());
  }

  /** The page request carries the session cookie, or no token is required. */
  boolean pageAllowed(Headers request) {
    if (session.isEmpty()) {
      return true;
    }
    for (String header : request.getOrDefault("Cookie", java.util.List.of())) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(COOKIE + "=") && same(p.substring(COOKIE.length() + 1), session.get())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The offered token is the right one. */
  boolean tokenMatches(String offered) {
    return token.isPresent() && offered != null && same(offered, token.get());
  }

  /**
   * The Set-Cookie value after a good login: HttpOnly, SameSite=Strict, a value derived from the
   * token (never the token itself).
   */
  String sessionCookie() {
    return COOKIE + "=" + session.orElseThrow() + "; Path=/; HttpOnly; SameSite=Strict";
  }

  /** The action form carries this process's CSRF token. */
  boolean csrfMatches(String offered) {
    return offered != null && same(offered, csrf);
  }

  /**
   * The request comes from a page of this dashboard: {@code Sec-Fetch-Site} is same-origin, or else
   * {@code Origin} names the host the request was sent to. Neither header: refused.
   */
  static boolean sameOrigin(Headers request) {
    String site = request.getFirst("Sec-Fetch-Site");
    if (site != null) {
      return site.equals("same-origin");
    }
    String origin = request.getFirst("Origin");
    String host = request.getFirst("Host");
    return origin != null && host != null && origin.equals("http://" + host);
  }

  /**
   * Why an API action must be refused, if it must: its {@code Content-Type} is not {@code
   * application/json} (a cross-site form cannot send that type without a CORS preflight, which this
   * server never grants), or {@code Sec-Fetch-Site} says a page of another site sent it ({@code
   * same-origin} and {@code none}, a typed request or a script, pass).
   */
  static Optional<String> apiActionRefusal(Headers request) {
    String type = request.getFirst("Content-Type");
    String media =
        type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
    if (!media.equals("application/json")) {
      return Optional.of("an API action needs Content-Type: application/json");
    }
    String site = request.getFirst("Sec-Fetch-Site");
    if (site != null && !site.equals("same-origin") && !site.equals("none")) {
      return Optional.of("cross-site request refused");
    }
    return Optional.empty();
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** HMAC-SHA256 of {@code label} keyed by the token, in hex. */
  private static String hmac(String token, String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(label.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }
}
