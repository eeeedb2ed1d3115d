import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.codec.jackson.JacksonCodec;
import dev.dq.core.client.DqClient;
import dev.dq.core.worker.WorkerPool;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

public class Example {
  record Greeting(String name) {}

  public static void main(String[] args) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    try (InMemoryBroker broker = InMemoryBroker.builder().build()) {
      DqClient client = DqClient.builder(broker).codec(new JacksonCodec()).build();
      WorkerPool pool = WorkerPool.builder(broker)
          .handler(client.handler("greet", Greeting.class, (greeting, task) -> {
            System.out.println("hello, " + greeting.name());
            done.countDown();
            return null;
          }))
          .build();
      pool.start();
      client.enqueue("greet", new Greeting("world"));
      done.await();
      pool.stop(Duration.ofSeconds(5));
    }
  }
}
