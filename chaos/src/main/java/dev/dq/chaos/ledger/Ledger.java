package dev.dq.chaos.ledger;

import dev.dq.chaos.ledger.LedgerEntry.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every entry the producers and workers of one scenario wrote, read back from their files, in time
 * order. Lines that do not parse (a line torn by a kill, which one {@code write(2)} per line makes
 * unlikely) are counted, not guessed at.
 *
 * @param entries all entries, sorted by time
 * @param unreadable lines that did not parse
 */
public record Ledger(List<LedgerEntry> entries, int unreadable) {

  /** Copies the list. */
  public Ledger {
    entries = List.copyOf(entries);
  }

  /**
   * Reads every {@code *.log} file of {@code dir}.
   *
   * @param dir the scenario's ledger directory
   * @return the entries in time order
   */
  public static Ledger read(Path dir) {
    List<LedgerEntry> all = new ArrayList<>();
    int bad = 0;
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (line.isEmpty()) {
            continue;
          }
          Optional<LedgerEntry> entry = LedgerEntry.parse(line);
          if (entry.isPresent()) {
            all.add(entry.get());
          } else {
            bad++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the ledger in " + dir, e);
    }
    all.sort(Comparator.comparingLong(LedgerEntry::atMillis));
    return new Ledger(all, bad);
  }

  /**
   * The entries of one kind, in time order.
   *
   * @param kind the kind
   * @return those entries
   */
  public Stream<LedgerEntry> of(Kind kind) {
    return entries.stream().filter(e -> e.kind() == kind);
  }
}
