import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.task.Task;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.WorkerPool;
import dev.dq.opentelemetry.DqTracing;
import dev.dq.opentelemetry.TracingProducer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

public class OpenTelemetryExample {
  public static String run(OpenTelemetry otel) throws InterruptedException {
    DqTracing tracing = DqTracing.create(otel);
    CountDownLatch done = new CountDownLatch(1);
    try (InMemoryBroker broker = InMemoryBroker.builder().build()) {
      WorkerPool pool =
          WorkerPool.builder(broker)
              .handler("greet", tracing.handler(task -> done.countDown()))
              .listener(tracing.listener()) // ends the span of a timed-out or handed-back attempt
              .build();
      TracingProducer producer = tracing.producer(new Producer(broker, TaskEventListener.NONE));
      pool.start();

      Span request = otel.getTracer("example").spanBuilder("request").startSpan();
      Task sent;
      try (Scope scope = request.makeCurrent()) {
        Task task = Task.builder("greet").payload("world").createdAt(Instant.now()).build();
        sent = producer.publish(task, Duration.ofSeconds(1));
      } finally {
        request.end();
      }
      done.await(10, TimeUnit.SECONDS);
      pool.stop(Duration.ofSeconds(5));
      return sent.headers().get("traceparent");
    }
  }
}
