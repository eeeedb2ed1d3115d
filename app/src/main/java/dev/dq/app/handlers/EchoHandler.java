package dev.dq.app.handlers;

import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.worker.NamedTaskHandler;
import dev.dq.core.worker.ResultTaskHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built-in {@code echo}: logs its payload (the first 200 characters, control characters escaped) at
 * INFO, and returns it as its result ({@code dq task result ID} prints it).
 */
public final class EchoHandler implements NamedTaskHandler, ResultTaskHandler {
  private static final Logger log = LoggerFactory.getLogger("dev.dq.handlers.echo");
  private static final int MAX_CHARS = 200;

  @Override
  public String type() {
    return "echo";
  }

  @Override
  public Payload call(Task task) {
    String text = task.payload().asUtf8();
    String shown = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) + "..." : text;
    log.info("echo: {}", shown.replaceAll("\\p{Cntrl}", "?"));
    return task.payload();
  }

  @Override
  public void handle(Task task) {
    call(task);
  }
}
