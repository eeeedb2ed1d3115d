package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dq.adapter.redis.Script.Fragment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ScriptTest {

  @Test
  void compose_shebang_staysTheFirstLine() {
    String composed =
        Script.compose("#!lua flags=allow-oom\n-- x\nreturn 1\n", Fragment.NOW, Fragment.LEASE);

    assertThat(composed).startsWith("#!lua flags=allow-oom\n-- _now:");
    assertThat(composed.indexOf("local function server_now"))
        .isLessThan(composed.indexOf("local function lease_expiry"));
    assertThat(composed).endsWith("end\n-- x\nreturn 1\n");
  }

  @Test
  void compose_noShebang_putsFragmentsFirst() {
    assertThat(Script.compose("return 1\n", Fragment.NOW))
        .startsWith("-- _now:")
        .endsWith("end\nreturn 1\n");
    assertThat(Script.compose("return 1\n")).isEqualTo("return 1\n");
  }

  @Test
  void everyScript_keepsItsShebangFirstAndDefinesWhatItCalls() throws IOException {
    for (Script script : Script.values()) {
      String file = read(script.file());
      String source = script.source();

      if (file.startsWith("#!")) {
        assertThat(source.lines().findFirst())
            .as(script.name())
            .isEqualTo(file.lines().findFirst());
        assertThat(source).as(script.name()).endsWith(file.substring(file.indexOf('\n') + 1));
      } else {
        assertThat(source).as(script.name()).endsWith(file);
      }
      for (String function : new String[] {"server_now", "lease_expiry"}) {
        int definitions = source.split("local function " + function + "\\(", -1).length - 1;
        assertThat(definitions)
            .as(script.name() + " defines " + function)
            .isEqualTo(file.contains(function + "(") ? 1 : 0);
      }
    }
  }

  @Test
  void serverTimeAndLeaseCheck_areWrittenOnceOutsideTheSelfContainedEnqueue() throws IOException {
    for (Script script : Script.values()) {
      String file = read(script.file());
      if (script != Script.ENQUEUE) {
        assertThat(file)
            .as(script.file())
            .doesNotContain("redis.call('TIME')")
            .doesNotContain("tonumber(exp) <= now");
      }
    }
    assertThat(read("/dev/dq/redis/_now.lua")).contains("redis.call('TIME')");
    assertThat(read("/dev/dq/redis/_lease.lua")).contains("tonumber(exp) <= now");
  }

  @Test
  void sha1_coversTheComposedText() throws Exception {
    assertThat(Script.ACK.sha1())
        .isEqualTo(sha1(Script.ACK.source()))
        .isNotEqualTo(sha1(read(Script.ACK.file())));
  }

  @Test
  void scriptDigests_everyScript_mapsItsFileNameToTheSha1OfTheTextSentToRedis() throws Exception {
    Map<String, String> digests = RedisBroker.scriptDigests();

    assertThat(digests.keySet())
        .containsExactly(
            Arrays.stream(Script.values())
                .map(s -> s.file().replaceFirst("^.*/", "").replaceFirst("\\.lua$", ""))
                .toArray(String[]::new));
    for (Script script : Script.values()) {
      assertThat(digests.get(script.scriptName()))
          .as(script.name())
          .isEqualTo(sha1(script.source()));
    }
    assertThat(digests).containsKeys("enqueue", "claim", "ack-batch", "ack", "dlq-add");
    assertThatThrownBy(() -> digests.put("ack", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  private static String sha1(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static String read(String file) throws IOException {
    try (InputStream in = ScriptTest.class.getResourceAsStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
