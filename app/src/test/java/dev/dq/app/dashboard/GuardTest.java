package dev.dq.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.Headers;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class GuardTest {
  private final Guard open = new Guard(Optional.empty(), new SecureRandom());
  private final Guard locked = new Guard(Optional.of("s3cret-token"), new SecureRandom());

  private static Headers headers(String... pairs) {
    Headers h = new Headers();
    for (int i = 0; i < pairs.length; i += 2) {
      h.add(pairs[i], pairs[i + 1]);
    }
    return h;
  }

  @Test
  void sameOrigin_acceptsOnlySameOriginFetchSite_orAnOriginNamingTheHost() {
    assertThat(Guard.sameOrigin(headers("Sec-Fetch-Site", "same-origin"))).isTrue();
    assertThat(Guard.sameOrigin(headers("Sec-Fetch-Site", "cross-site"))).isFalse();
    assertThat(Guard.sameOrigin(headers("Sec-Fetch-Site", "same-site"))).isFalse();
    assertThat(Guard.sameOrigin(headers("Sec-Fetch-Site", "none"))).isFalse();
    assertThat(
            Guard.sameOrigin(headers("Origin", "http://127.0.0.1:8080", "Host", "127.0.0.1:8080")))
        .isTrue();
    assertThat(Guard.sameOrigin(headers("Origin", "http://evil.example", "Host", "127.0.0.1:8080")))
        .isFalse();
    assertThat(Guard.sameOrigin(headers("Origin", "null", "Host", "127.0.0.1:8080"))).isFalse();
    assertThat(Guard.sameOrigin(headers("Host", "127.0.0.1:8080"))).isFalse();
  }

  @Test
  void sameOrigin_fetchSiteWins_overAMatchingOrigin() {
    assertThat(
            Guard.sameOrigin(
                headers(
                    "Sec-Fetch-Site", "cross-site",
                    "Origin", "http://127.0.0.1:8080",
                    "Host", "127.0.0.1:8080")))
        .isFalse();
  }

  @Test
  void csrf_isRandomPerGuard_andOnlyItsOwnMatches() {
    assertThat(open.csrf()).hasSize(48).isNotEqualTo(locked.csrf());
    assertThat(open.csrfMatches(open.csrf())).isTrue();
    assertThat(open.csrfMatches(locked.csrf())).isFalse();
    assertThat(open.csrfMatches(null)).isFalse();
    assertThat(open.csrfMatches("")).isFalse();
  }

  @Test
  void csrf_withoutToken_differsBetweenProcesses() {
    Guard other = new Guard(Optional.empty(), new SecureRandom());
    assertThat(other.csrf()).isNotEqualTo(open.csrf());
    assertThat(other.csrfMatches(open.csrf())).isFalse();
  }

  @Test
  void csrf_withToken_isTheSameInEveryProcess_soABalancedFormIsAccepted() {
    Guard processB = new Guard(Optional.of("s3cret-token"), new SecureRandom());
    assertThat(processB.csrf()).isEqualTo(locked.csrf()).hasSize(64);
    assertThat(processB.csrfMatches(locked.csrf())).isTrue();
  }

  @Test
  void csrf_withToken_isNeitherTheTokenNorTheSession_andChangesWithTheToken() {
    Guard otherToken = new Guard(Optional.of("another-s3cret-token"), new SecureRandom());
    String setCookie = locked.sessionCookie();
    String session = setCookie.substring(Guard.COOKIE.length() + 1, setCookie.indexOf(';'));
    assertThat(locked.csrf()).isNotEqualTo(session).doesNotContain("s3cret");
    assertThat(otherToken.csrf()).isNotEqualTo(locked.csrf());
    assertThat(otherToken.csrfMatches(locked.csrf())).isFalse();
  }

  @Test
  void withoutToken_everythingIsAllowed() {
    assertThat(open.apiAllowed(headers())).isTrue();
    assertThat(open.pageAllowed(headers())).isTrue();
    assertThat(open.tokenMatches("anything")).isFalse();
  }

  @Test
  void withToken_theApiNeedsTheBearerToken() {
    assertThat(locked.apiAllowed(headers())).isFalse();
    assertThat(locked.apiAllowed(headers("Authorization", "Bearer wrong"))).isFalse();
    assertThat(locked.apiAllowed(headers("Authorization", "Basic s3cret-token"))).isFalse();
    assertThat(locked.apiAllowed(headers("Authorization", "Bearer s3cret-token"))).isTrue();
  }

  @Test
  void withToken_pagesNeedTheSessionCookie_whichIsStrictHttpOnly_andNotTheToken() {
    String setCookie = locked.sessionCookie();
    assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").doesNotContain("s3cret");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    assertThat(locked.pageAllowed(headers())).isFalse();
    assertThat(locked.pageAllowed(headers("Cookie", "dq_dashboard=s3cret-token"))).isFalse();
    assertThat(locked.pageAllowed(headers("Cookie", "other=1; " + cookie))).isTrue();
    assertThat(locked.tokenMatches("s3cret-token")).isTrue();
    assertThat(locked.tokenMatches("s3cret-toke")).isFalse();
  }

  @Test
  void secure_setsTheSecurityHeaders() {
    Headers h = new Headers();
    Guard.secure(h);
    assertThat(h.getFirst("Content-Security-Policy"))
        .contains("default-src 'self'")
        .contains("script-src 'none'")
        .doesNotContain("unsafe-inline");
    assertThat(h.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(h.getFirst("Referrer-Policy")).isEqualTo("same-origin");
    assertThat(h.getFirst("X-Frame-Options")).isEqualTo("DENY");
  }
}
