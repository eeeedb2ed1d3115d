package dev.dq.opentelemetry;

import dev.dq.core.worker.NamedTaskHandler;

/** A {@link TracedHandler} that keeps the type of the {@link NamedTaskHandler} it wraps. */
final class TracedNamedHandler extends TracedHandler implements NamedTaskHandler {
  private final String type;

  TracedNamedHandler(DqTracing tracing, NamedTaskHandler handler) {
    super(tracing, handler);
    this.type = handler.type();
  }

  @Override
  public String type() {
    return type;
  }
}
