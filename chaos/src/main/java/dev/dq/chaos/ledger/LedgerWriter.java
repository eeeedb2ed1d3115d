package dev.dq.chaos.ledger;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Appends ledger lines to one process's own file. Each line is one {@code write(2)} of an
 * unbuffered, append-mode stream: once {@link #record} returns, the line is in the kernel's page
 * cache and survives a {@code kill -9} of the process that wrote it (an OS crash is outside the
 * harness's fault model). One file per process, so lines of different processes never interleave.
 */
public final class LedgerWriter implements AutoCloseable {
  private final FileOutputStream out;

  private LedgerWriter(FileOutputStream out) {
    this.out = out;
  }

  /**
   * Opens (creating or appending to) {@code file}.
   *
   * @param file the process's ledger file
   * @return a writer
   */
  public static LedgerWriter open(Path file) {
    try {
      return new LedgerWriter(new FileOutputStream(file.toFile(), true));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open ledger " + file, e);
    }
  }

  /**
   * Writes one entry as one line.
   *
   * @param entry what happened
   */
  public void record(LedgerEntry entry) {
    byte[] line = (entry.format() + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      try {
        out.write(line);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the ledger", e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
