package dev.dq.app.logging;

import java.util.Map;

/** How logs are written to stderr; each format is one logback configuration on the classpath. */
public enum LogFormat {
  TEXT("logback.xml"),
  JSON("logback-json.xml");

  public static final Map<String, LogFormat> BY_NAME = Map.of("text", TEXT, "json", JSON);

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  String resource() {
    return resource;
  }
}
