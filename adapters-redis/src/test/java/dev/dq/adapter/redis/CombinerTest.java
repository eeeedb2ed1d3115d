package dev.dq.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class CombinerTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  @Test
  void submit_alone_runsItsOwnBatchOfOne() {
    Combiner<Integer, Integer> combiner = new Combiner<>(n -> 1, 10);
    List<List<Integer>> batches = new ArrayList<>();

    int answer = combiner.submit(7, b -> record(batches, b));

    assertThat(answer).isEqualTo(70);
    assertThat(batches).containsExactly(List.of(7));
  }

  @Test
  void submit_whileABatchRuns_theWaitingRequestsShareTheNextBatch_andEachGetsItsOwnAnswer()
      throws Exception {
    Combiner<Integer, Integer> combiner = new Combiner<>(n -> 1, 10);
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch release = new CountDownLatch(1);
    Future<Integer> first = busyUntil(release, combiner, 0, b -> record(batches, b));
    List<Future<Integer>> later = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      int request = i;
      later.add(threads.submit(() -> combiner.submit(request, b -> record(batches, b))));
    }
    awaitWaiting(combiner, 3);

    release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
    for (int i = 0; i < 3; i++) {
      assertThat(later.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(10 * (i + 1));
    }
    assertThat(batches).hasSize(2);
    assertThat(batches.get(0)).containsExactly(0);
    assertThat(batches.get(1)).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void submit_batchOverTheWeightCap_leavesTheRestForTheNextBatch() throws Exception {
    Combiner<Integer, Integer> combiner = new Combiner<>(n -> n, 5);
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch release = new CountDownLatch(1);
    Future<Integer> first = busyUntil(release, combiner, 1, b -> record(batches, b));
    List<Future<Integer>> later = new ArrayList<>();
    for (int w : new int[] {3, 3, 2}) {
      later.add(threads.submit(() -> combiner.submit(w, b -> record(batches, b))));
      awaitWaiting(combiner, later.size());
    }

    release.countDown();

    for (Future<Integer> f : later) {
      f.get(10, TimeUnit.SECONDS);
    }
    first.get(10, TimeUnit.SECONDS);
    assertThat(batches).hasSize(3);
    assertThat(batches.stream().mapToInt(b -> b.stream().mapToInt(i -> i).sum()))
        .allSatisfy(total -> assertThat(total).isLessThanOrEqualTo(5));
  }

  @Test
  void submit_batchFails_everyRequestInItGetsTheFailure_andTheNextBatchRuns() throws Exception {
    Combiner<Integer, Integer> combiner = new Combiner<>(n -> 1, 10);
    CountDownLatch release = new CountDownLatch(1);
    Future<Integer> first = busyUntil(release, combiner, 0, b -> List.of(0));
    List<Future<Integer>> failing = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      int request = i;
      failing.add(
          threads.submit(
              () ->
                  combiner.submit(
                      request,
                      b -> {
                        throw new IllegalStateException("redis said no to " + b);
                      })));
    }
    awaitWaiting(combiner, 2);
    release.countDown();
    first.get(10, TimeUnit.SECONDS);

    for (Future<Integer> f : failing) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("redis said no");
    }
    assertThat(combiner.submit(5, b -> List.of(50))).isEqualTo(50);
  }

  @Test
  void submit_batchAnswersTheWrongNumberOfRequests_failsThem() {
    Combiner<Integer, Integer> combiner = new Combiner<>(n -> 1, 10);

    assertThatThrownBy(() -> combiner.submit(1, b -> List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("0 of 1");
  }

  /**
   * Submits {@code request} from another thread and returns once its batch runs, which then waits
   * for {@code release}: the combiner is busy until then.
   */
  private Future<Integer> busyUntil(
      CountDownLatch release,
      Combiner<Integer, Integer> combiner,
      int request,
      Function<List<Integer>, List<Integer>> batch)
      throws InterruptedException {
    CountDownLatch running = new CountDownLatch(1);
    Future<Integer> first =
        threads.submit(
            () ->
                combiner.submit(
                    request,
                    b -> {
                      running.countDown();
                      await(release);
                      return batch.apply(b);
                    }));
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
    return first;
  }

  private static List<Integer> record(List<List<Integer>> batches, List<Integer> batch) {
    batches.add(batch);
    return batch.stream().map(i -> 10 * i).toList();
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void awaitWaiting(Combiner<?, ?> combiner, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (combiner.waiting() < n) {
      assertThat(System.nanoTime()).as("%d requests waiting", n).isLessThan(deadline);
      Thread.sleep(1);
    }
  }
}
