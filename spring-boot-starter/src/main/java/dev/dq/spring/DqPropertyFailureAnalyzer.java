package dev.dq.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad {@code dq.*} setting into Spring Boot's start-up report: what, and what to do. */
final class DqPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidDqPropertyException> {
  @Override
  protected FailureAnalysis analyze(Throwable root, InvalidDqPropertyException cause) {
    return new FailureAnalysis(
        "dq setting " + cause.getMessage(),
        "Correct " + cause.property() + " in the application's configuration.",
        cause);
  }
}
