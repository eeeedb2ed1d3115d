package dev.dq.app;

import java.util.Map;

/** How logs are written to stderr; each format is one logback configuration on the classpath. */
enum LogFormat {
  TEXT("logback.xml"),
  JSON("logback-json.xml");

  static final Map<String, LogFormat> BY_NAME = Map.of("text", TEXT, "json", JSON);

  private final String resource;

  LogFormat(String resource) {
    this.resource = resource;
  }

  String resource() {
    return resource;
  }
}
