package dev.dq.app.dashboard;

/** HTML text escaping: every broker-supplied string goes through {@link #escape} before output. */
final class Html {
  private Html() {}

  /**
   * The text with {@code & < > " '} replaced by entities, so it shows as text in element content
   * and in quoted attribute values; control characters other than tab and newline become U+FFFD.
   */
  static String escape(String text) {
    StringBuilder b = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  /** The text cut to at most {@code max} characters, with a note of how much was left out. */
  static String capped(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    return text.substring(0, max) + "\n… (" + (text.length() - max) + " more characters not shown)";
  }
}
