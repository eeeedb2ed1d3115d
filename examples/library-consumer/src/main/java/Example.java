import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.codec.jackson.JacksonCodec;
import dev.dq.core.client.DqClient;
import dev.dq.core.client.TaskRef;
import dev.dq.core.worker.WorkerPool;
import java.time.Duration;

public class Example {
  record Greeting(String name) {}

  public static void main(String[] args) throws InterruptedException {
    try (InMemoryBroker broker = InMemoryBroker.builder().build()) {
      DqClient client = DqClient.builder(broker).codec(new JacksonCodec()).build();
      WorkerPool pool = WorkerPool.builder(broker)
          .handler(client.handler("greet", Greeting.class, (g, task) -> "hello, " + g.name()))
          .build();
      pool.start();

      TaskRef ref = client.enqueue("greet", new Greeting("world"));
      System.out.println(client.result(ref, Duration.ofSeconds(10), String.class).orElseThrow());
      pool.stop(Duration.ofSeconds(5));
    }
  }
}
