package dev.dq.app.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class HtmlTest {
  @Test
  void escape_turnsMarkupIntoText() {
    assertThat(Html.escape("<script>alert(1)</script>"))
        .isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
  }

  @Test
  void escape_quotesAndAmpersands_cannotLeaveAnAttribute() {
    assertThat(Html.escape("\" onmouseover='x' &amp;"))
        .isEqualTo("&quot; onmouseover=&#39;x&#39; &amp;amp;");
  }

  @Test
  void escape_controlCharacters_becomeReplacementCharacters_newlinesStay() {
    assertThat(Html.escape("a\u0000b\nc\td\u001b")).isEqualTo("a\uFFFDb\nc\td\uFFFD");
  }

  @Test
  void capped_cutsLongText_andSaysHowMuchIsMissing() {
    assertThat(Html.capped("abcdef", 4)).startsWith("abcd\n").contains("2 more characters");
    assertThat(Html.capped("abc", 4)).isEqualTo("abc");
  }
}
