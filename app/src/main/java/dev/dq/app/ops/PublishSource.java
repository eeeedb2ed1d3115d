package dev.dq.app.ops;

import dev.dq.app.config.CommandFailedException;
import dev.dq.core.task.Task;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The tasks of one {@code dq publish}, every one checked before the first is handed out, then
 * handed out one at a time so that memory stays bounded whatever their number. Tasks from flags are
 * all alike, so one check covers them; stdin lines are checked as they are read and spooled to a
 * private temporary file, which {@link #close()} deletes.
 */
abstract class PublishSource implements Closeable {
  /**
   * Longest stdin line: a task at the payload limit, JSON-escaped, with headers, fits well within
   * it.
   */
  static final int MAX_LINE_BYTES = 16 << 20;

  /** How many tasks there are. */
  abstract int size();

  /** The next task with its unique key, or null after the last. */
  abstract Publication next();

  /** Whether any task has a unique key (then tasks go one by one). */
  boolean anyUnique() {
    return false;
  }

  /**
   * One task to publish.
   *
   * @param task the task
   * @param uniqueKey its unique key, or null: enqueue it unless a task holding the key exists
   */
  record Publication(Task task, String uniqueKey) {}

  @Override
  public void close() {}

  /**
   * {@code count} tasks made by {@code make}, which has built (and so checked) one already, each
   * with {@code uniqueKey} (may be null).
   */
  static PublishSource repeat(int count, Supplier<Task> make, String uniqueKey) {
    return new PublishSource() {
      private int made;

      @Override
      int size() {
        return count;
      }

      @Override
      Publication next() {
        return made++ < count ? new Publication(make.get(), uniqueKey) : null;
      }

      @Override
      boolean anyUnique() {
        return uniqueKey != null;
      }
    };
  }

  /**
   * Reads every line of {@code stdin}, checks each non-blank one with {@code parse} (which throws a
   * {@link CommandFailedException} naming the line), and keeps the lines in a temporary file;
   * {@link #next()} parses them again from there, in order.
   *
   * @param parse builds the task of a line; the second argument names the line for messages
   */
  static PublishSource spool(InputStream stdin, ParseLine parse) {
    Path file = createSpool();
    try {
      int count = 0;
      boolean unique = false;
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        Utf8Lines lines = new Utf8Lines(stdin, MAX_LINE_BYTES);
        for (String line; (line = lines.next()) != null; ) {
          if (!line.isBlank()) {
            unique |= parse.task(line, "stdin line " + lines.number() + ": ").uniqueKey() != null;
            out.write(line);
            out.write('\n');
            count++;
          }
        }
      }
      return new Spooled(file, count, unique, line -> parse.task(line, ""));
    } catch (IOException e) {
      delete(file);
      throw new CommandFailedException(
          "could not read stdin or spool it to "
              + file
              + " ("
              + e.getMessage()
              + "); nothing was published");
    } catch (RuntimeException e) {
      delete(file);
      throw e;
    }
  }

  /** Builds the task of one line, or throws naming it with {@code where}. */
  @FunctionalInterface
  interface ParseLine {
    Publication task(String line, String where);
  }

  private static Path createSpool() {
    try {
      return Files.createTempFile(
          "dq-publish-", ".jsonl"); // owner-only on POSIX: payloads may be private
    } catch (IOException e) {
      throw new CommandFailedException(
          "could not create a temporary file to check stdin before publishing ("
              + e.getMessage()
              + "; set java.io.tmpdir); nothing was published");
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a temporary file left behind is harmless
    }
  }

  /** Checked lines read back from the spool file. */
  private static final class Spooled extends PublishSource {
    private final Path file;
    private final int count;
    private final boolean unique;
    private final Function<String, Publication> parse;
    private final BufferedReader reader;

    Spooled(Path file, int count, boolean unique, Function<String, Publication> parse)
        throws IOException {
      this.file = file;
      this.count = count;
      this.unique = unique;
      this.parse = parse;
      this.reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    }

    @Override
    int size() {
      return count;
    }

    @Override
    boolean anyUnique() {
      return unique;
    }

    @Override
    Publication next() {
      try {
        String line = reader.readLine();
        return line == null ? null : parse.apply(line);
      } catch (IOException e) {
        throw new UncheckedIOException("reading back " + file, e);
      }
    }

    @Override
    public void close() {
      try {
        reader.close();
      } catch (IOException ignored) {
        // deleting it is what matters
      }
      delete(file);
    }
  }
}
