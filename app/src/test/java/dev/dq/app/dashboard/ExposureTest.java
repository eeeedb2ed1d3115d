package dev.dq.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dq.app.Cli;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

final class ExposureTest {
  private static InetAddress at(String ip) throws Exception {
    return InetAddress.getByName(ip);
  }

  @Test
  void loopback_needsNothing() throws Exception {
    assertThat(Exposure.refusal(at("127.0.0.1"), false, false)).isEmpty();
    assertThat(Exposure.refusal(at("::1"), false, false)).isEmpty();
  }

  @Test
  void otherAddress_isRefused_unlessATokenOrReadOnly() throws Exception {
    assertThat(Exposure.refusal(at("0.0.0.0"), false, false))
        .get()
        .asString()
        .contains("0.0.0.0")
        .contains("DQ_DASHBOARD_TOKEN")
        .contains("--read-only");
    assertThat(Exposure.refusal(at("10.1.2.3"), false, false)).isPresent();
    assertThat(Exposure.refusal(at("0.0.0.0"), true, false)).isEmpty();
    assertThat(Exposure.refusal(at("0.0.0.0"), false, true)).isEmpty();
  }

  @Test
  void command_boundToAnyAddressWithoutTokenOrReadOnly_exits2WithOneLine() {
    Cli cli = new Cli();

    assertThat(cli.execute(Map.of(), "", "dashboard", "--bind", "0.0.0.0", "--port", "0"))
        .isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("dq: --bind")
        .contains("DQ_DASHBOARD_TOKEN");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void command_blankToken_countsAsNoToken() {
    Cli cli = new Cli();

    assertThat(
            cli.execute(
                Map.of("DQ_DASHBOARD_TOKEN", " "),
                "",
                "dashboard",
                "--bind",
                "0.0.0.0",
                "--port",
                "0"))
        .isEqualTo(2);
  }

  @Test
  @Timeout(30) // without the check the dashboard would start and serve until stopped
  void command_shortToken_exits2_withoutShowingIt() {
    Cli cli = new Cli();

    assertThat(
            cli.execute(
                Map.of("DQ_DASHBOARD_TOKEN", "short-tok-15chr"),
                "",
                "dashboard",
                "--bind",
                "0.0.0.0",
                "--port",
                "0"))
        .isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .contains("DQ_DASHBOARD_TOKEN")
        .contains("16")
        .doesNotContain("short-tok-15chr");
  }

  @Test
  @Timeout(30) // without the check the dashboard would start and serve until stopped
  void command_tokenFlag_isRefused_withoutShowingIt() {
    Cli cli = new Cli();

    assertThat(
            cli.execute(
                Map.of(),
                "",
                "dashboard",
                "--dashboard-token",
                "a-long-enough-secret-token",
                "--port",
                "0"))
        .isEqualTo(2);

    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .contains("--dashboard-token")
        .contains("DQ_DASHBOARD_TOKEN")
        .doesNotContain("a-long-enough-secret-token");
  }

  @Test
  void command_badPort_exits2() {
    Cli cli = new Cli();

    assertThat(cli.execute(Map.of(), "", "dashboard", "--port", "70000")).isEqualTo(2);
    assertThat(cli.err().lines()).singleElement().asString().contains("--port");
  }
}
