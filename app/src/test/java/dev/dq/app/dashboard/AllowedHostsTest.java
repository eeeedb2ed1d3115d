package dev.dq.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

final class AllowedHostsTest {
  private static AllowedHosts on(String bind, String... extra) throws Exception {
    return new AllowedHosts(InetAddress.getByName(bind), List.of(extra));
  }

  @Test
  void loopbackNames_withTheServersPort_areAllowed() throws Exception {
    AllowedHosts h = on("127.0.0.1");
    assertThat(h.allows("localhost:8080", 8080)).isTrue();
    assertThat(h.allows("LocalHost:8080", 8080)).isTrue();
    assertThat(h.allows("127.0.0.1:8080", 8080)).isTrue();
    assertThat(h.allows("[::1]:8080", 8080)).isTrue();
    assertThat(h.allows("[0:0:0:0:0:0:0:1]:8080", 8080)).isTrue();
    assertThat(h.allows("localhost", 80)).isTrue();
  }

  @Test
  void foreignNames_otherPorts_andGarbage_areRefused() throws Exception {
    AllowedHosts h = on("127.0.0.1");
    assertThat(h.allows("evil.example:8080", 8080)).isFalse();
    assertThat(h.allows("evil.example", 80)).isFalse();
    assertThat(h.allows("localhost:8081", 8080)).isFalse();
    assertThat(h.allows("localhost", 8080)).isFalse();
    assertThat(h.allows("127.0.0.2:8080", 8080)).isFalse();
    assertThat(h.allows("localhost.:8080", 8080)).isFalse();
    assertThat(h.allows("localhost:x", 8080)).isFalse();
    assertThat(h.allows("", 8080)).isFalse();
    assertThat(h.allows(null, 8080)).isFalse();
  }

  @Test
  void theBindAddress_andGivenNames_areAllowed() throws Exception {
    AllowedHosts h = on("127.0.0.2", "dq.internal", "10.0.0.7", "fd00::2");
    assertThat(h.allows("127.0.0.2:9000", 9000)).isTrue();
    assertThat(h.allows("DQ.internal:9000", 9000)).isTrue();
    assertThat(h.allows("10.0.0.7:9000", 9000)).isTrue();
    assertThat(h.allows("[fd00::2]:9000", 9000)).isTrue();
    assertThat(h.allows("other.internal:9000", 9000)).isFalse();
  }

  @Test
  void theWildcardBind_isNotAHost() throws Exception {
    assertThat(on("0.0.0.0").allows("0.0.0.0:8080", 8080)).isFalse();
  }

  @Test
  void anExtraThatIsNoHost_isRejected() {
    assertThatThrownBy(() -> on("127.0.0.1", "evil.example/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("evil.example/x");
  }
}
