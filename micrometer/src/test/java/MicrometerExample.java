import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.client.DqClient;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import dev.dq.micrometer.DqMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;

public class MicrometerExample {
  public static double run(MeterRegistry registry) throws InterruptedException {
    try (InMemoryBroker broker = InMemoryBroker.builder().build()) {
      WorkerPoolConfig config = WorkerPoolConfig.builder().queue("default").workers(2).build();
      WorkerPool.Builder pool = WorkerPool.builder(broker).config(config);
      pool.handler("greet", task -> {});
      DqMetrics metrics =
          DqMetrics.builder()
              .queues(List.of("default"))
              .types(Set.of("greet"))
              .broker(broker, broker.deadLetterQueue())
              .build();
      metrics.bindTo(registry);
      WorkerPool workers = pool.listener(metrics).build();
      DqClient client = DqClient.builder(broker).listener(metrics).build();

      workers.start();
      client.enqueue("greet", "world");
      client.await(client.enqueue("greet", "again"), Duration.ofSeconds(10));
      workers.stop(Duration.ofSeconds(5));
      return registry.get("dq.tasks.enqueued").tag("type", "greet").counter().count();
    }
  }
}
