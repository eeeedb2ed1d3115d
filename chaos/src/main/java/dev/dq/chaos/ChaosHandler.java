package dev.dq.chaos;

import dev.dq.chaos.ledger.LedgerEntry;
import dev.dq.chaos.ledger.LedgerEntry.Kind;
import dev.dq.chaos.ledger.LedgerWriter;
import dev.dq.core.task.Task;
import dev.dq.core.worker.NamedTaskHandler;
import java.nio.file.Path;

/**
 * The {@code chaos} task type, run by the {@code dq run} worker processes the harness starts: it
 * records the start of each attempt in this process's ledger file, works for the milliseconds the
 * payload names, and records the end before it returns (the pool's ack comes after). The ledger
 * directory comes from {@code DQ_CHAOS_LEDGER}; without it the handler refuses to load, so a worker
 * never runs chaos tasks without recording them.
 */
public final class ChaosHandler implements NamedTaskHandler {
  /** The task type. */
  public static final String TYPE = "chaos";

  /** The environment variable naming the ledger directory. */
  public static final String LEDGER_ENV = "DQ_CHAOS_LEDGER";

  private final LedgerWriter ledger;
  private final long pid = ProcessHandle.current().pid();

  /** For {@link java.util.ServiceLoader}: records into {@code $DQ_CHAOS_LEDGER/worker-<pid>}. */
  public ChaosHandler() {
    String dir = System.getenv(LEDGER_ENV);
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException(LEDGER_ENV + " must name the harness's ledger directory");
    }
    this.ledger = LedgerWriter.open(Path.of(dir).resolve("worker-" + pid + ".log"));
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public void handle(Task task) throws InterruptedException {
    String id = task.id().value();
    ledger.record(
        new LedgerEntry(Kind.STARTED, id, task.attempt(), pid, System.currentTimeMillis()));
    String work = task.payload().asUtf8().strip();
    long millis = work.isEmpty() ? 0 : Long.parseLong(work);
    if (millis > 0) {
      Thread.sleep(millis);
    }
    ledger.record(
        new LedgerEntry(Kind.FINISHED, id, task.attempt(), pid, System.currentTimeMillis()));
  }
}
