import dev.dq.adapter.memory.InMemoryBroker;
import dev.dq.core.task.Task;
import dev.dq.core.worker.Producer;
import dev.dq.core.worker.TaskEventListener;
import dev.dq.core.worker.WorkerPool;
import dev.dq.core.worker.WorkerPoolConfig;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;

public class Example {
  public static void main(String[] args) throws InterruptedException {
    InstantSource clock = InstantSource.system();
    CountDownLatch done = new CountDownLatch(1);
    try (InMemoryBroker broker = InMemoryBroker.builder().clock(clock).capacity(100).build()) {
      WorkerPool pool = WorkerPool.builder(broker)
          .config(WorkerPoolConfig.builder().workers(2).build())
          .handler("greet", task -> {
            System.out.println("hello, " + task.payload().asUtf8());
            done.countDown();
          })
          .clock(clock)
          .build();
      pool.start();

      Producer producer = new Producer(broker, TaskEventListener.NONE);
      producer.publish(Task.builder("greet").payload("world").createdAt(clock.instant()).build(),
          Duration.ofSeconds(1));

      done.await();
      pool.stop(Duration.ofSeconds(5));
    }
  }
}
