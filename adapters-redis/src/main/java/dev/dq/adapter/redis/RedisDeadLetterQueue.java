package dev.dq.adapter.redis;

import dev.dq.adapter.redis.TaskCodec.UndecodableTaskException;
import dev.dq.core.port.DeadLetter;
import dev.dq.core.port.DeadLetterFilter;
import dev.dq.core.port.DeadLetterMark;
import dev.dq.core.port.DeadLetterPage;
import dev.dq.core.port.DeadLetterQueue;
import dev.dq.core.port.DuplicateTaskException;
import dev.dq.core.port.Failure;
import dev.dq.core.port.InvalidDeadLetterQueryException;
import dev.dq.core.port.QueueFullException;
import dev.dq.core.port.TaskNotFoundException;
import dev.dq.core.task.InvalidTaskException;
import dev.dq.core.task.Names;
import dev.dq.core.task.Payload;
import dev.dq.core.task.Task;
import dev.dq.core.task.TaskId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import redis.clients.jedis.resps.Tuple;

/**
 * The dead set of each queue ({@code dq:{queue}:dead}), oldest first. Entries keep their task hash,
 * with the failure beside the data. An entry whose data could not be decoded is listed as a task of
 * type {@value #UNDECODABLE_TYPE} whose payload is the raw data (cut to the payload limit), so an
 * operator can still see and delete it.
 *
 * <p>An entry stored under an id that is not a valid task id (written by hand: a space, too long)
 * is listed under a stand-in id, {@code invalid-id:<sequence>:<digest>}, with the stored id in
 * header {@value #RAW_ID_HEADER} (cut to {@value #RAW_ID_SHOWN} characters). {@link #get} and
 * {@link #delete} accept the stand-in; {@link #requeue} refuses it with an {@link
 * InvalidTaskException}, as such a task can never run, and {@link #requeueAll} leaves it dead.
 *
 * <p>A {@link DeadLetterMark} is a whole number: the death counter, or the newest score cut down to
 * a whole number if a hand-written entry lies above the counter; so a hand-written entry with a
 * fraction above every whole sequence falls outside marks, and bulk actions by mark leave it.
 *
 * <p>Thread-safe. Each change to an entry is one script; {@link #requeueAll} and {@link #purge}
 * page through a {@link DeadSnapshot}. Obtain it from {@link RedisBroker#deadLetterQueue()}.
 */
public final class RedisDeadLetterQueue implements DeadLetterQueue {
  /** Task type under which an undecodable entry is listed. */
  public static final String UNDECODABLE_TYPE = "dq.undecodable";

  /** Header of a listed entry whose stored id is not a valid task id: that stored id. */
  public static final String RAW_ID_HEADER = "dq.raw-id";

  private static final int RAW_ID_SHOWN = 256;

  /** A dead set's score as Redis writes it back: what a {@link #find} cursor holds. */
  private static final Pattern CURSOR =
      Pattern.compile("-?[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?|[+-]?inf");

  /**
   * Most entries one script looks at: a {@link #find} takes several scripts, so Redis serves other
   * clients between them (a filtered script step over 1,000 entries takes about 10-20 ms).
   */
  private static final int SCRIPT_SCAN = 1_000;

  /** Matches per scan step of a filtered bulk action. */
  private static final int BULK_PAGE = DeadSnapshot.PAGE;

  /**
   * Most bytes of task data and failure records one scan step reads, or hands Java to read: HMGET
   * of hundreds of full tasks (payloads up to about 1.4 MB of base64 each) would copy hundreds of
   * megabytes and block Redis.
   */
  static final long SCRIPT_BYTES = 4L << 20;

  /** What {@link TaskCodec#decodeFailure} falls back to, lower-cased: no Lua narrowing for it. */
  private static final List<String> FAILURE_FALLBACKS =
      List.of("unknown", "failure record is not json");

  private final RedisGateway redis;

  RedisDeadLetterQueue(RedisGateway redis) {
    this.redis = redis;
  }

  @Override
  public void add(DeadLetter entry) {
    Objects.requireNonNull(entry, "entry");
    Task task = entry.task();
    RedisKeys k = RedisKeys.of(task.queue());
    redis.register(task.queue());
    String id = task.id().value();
    Object reply =
        redis.scriptRetryingOnce(
            "add dead letter " + id,
            Script.DLQ_ADD,
            List.of(k.tasks(), k.attempts(), k.failures(), k.dead(), k.deadSeq(), k.priorities()),
            List.of(
                id,
                redis.codec().encode(task),
                Integer.toString(task.attempt()),
                redis.codec().encodeFailure(entry.failure()),
                Integer.toString(task.priority())));
    if ("DUPLICATE".equals(reply)) {
      throw new DuplicateTaskException(
          "task "
              + id
              + " is live on queue "
              + task.queue()
              + "; it cannot be added to the dead-letter queue");
    }
  }

  @Override
  public List<DeadLetter> list(String queue, int offset, int limit) {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be >= 0: " + offset);
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0: " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    RedisKeys k = RedisKeys.of(queue);
    List<Tuple> entries =
        redis.callRetryingOnce(
            "list dead letters of " + queue,
            () -> redis.jedis().zrangeWithScores(k.dead(), offset, (long) offset + limit - 1));
    return readAll(k, entries);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Read-only scripts, each looking at no more than 1,000 entries and {@value #SCRIPT_BYTES}
   * bytes, walk the entries in sequence order and narrow them to candidates; this method reads the
   * candidates and keeps those {@link DeadLetterFilter#matches} accepts, so Java decides what
   * matches. The mark is the one read by the last script. A cursor is the score of the last entry
   * looked at, as Redis writes it.
   */
  @Override
  public DeadLetterPage find(String queue, DeadLetterFilter filter, String cursor, int limit) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(cursor, "cursor");
    DeadLetterPage.checkLimit(limit);
    if (!cursor.equals(FIRST) && !CURSOR.matcher(cursor).matches()) {
      throw new InvalidDeadLetterQueryException(
          "not a dead-letter cursor of queue " + queue + ": \"" + cursor + "\"");
    }
    RedisKeys k = RedisKeys.of(queue);
    List<DeadLetter> matches = new ArrayList<>();
    int scanned = 0;
    Scan last = null;
    while (last == null || (!last.end() && matches.size() < limit && scanned < SCAN_LIMIT)) {
      last =
          scan(
              k,
              filter,
              last == null ? cursor : last.next(),
              "",
              limit - matches.size(),
              Math.min(SCRIPT_SCAN, SCAN_LIMIT - scanned),
              true);
      matches.addAll(matching(k, filter, last.matches()));
      scanned += last.scanned();
    }
    return new DeadLetterPage(
        matches, new DeadLetterMark(queue, last.highest()), last.next(), last.end(), scanned);
  }

  /** The entries of {@code candidates} that {@code filter} matches, read and decoded, in order. */
  private List<DeadLetter> matching(RedisKeys k, DeadLetterFilter filter, List<Tuple> candidates) {
    List<DeadLetter> read = readAll(k, candidates);
    return filter.matchesAll() ? read : read.stream().filter(filter::matches).toList();
  }

  @Override
  public DeadLetterMark mark(String queue) {
    RedisKeys k = RedisKeys.of(queue);
    String counter =
        redis.callRetryingOnce(
            "read the death counter of " + queue, () -> redis.jedis().get(k.deadSeq()));
    List<Tuple> newest =
        redis.callRetryingOnce(
            "read the newest dead letter of " + queue,
            () -> redis.jedis().zrangeWithScores(k.dead(), -1, -1));
    return new DeadLetterMark(
        queue,
        highest(
            counter == null ? 0 : Long.parseLong(counter),
            newest.isEmpty() ? "" : DeadSnapshot.score(newest.get(0).getScore())));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Steps through the matches at or below the mark with the scan script, then moves each with
   * one script that checks its sequence is still at or below the mark.
   */
  @Override
  public int requeueAll(String queue, DeadLetterFilter filter, DeadLetterMark mark) {
    RedisKeys k = RedisKeys.of(queue);
    String bound = Long.toString(mark.sequence());
    int[] moved = {0};
    eachMarked(
        k,
        filter,
        mark,
        ids -> {
          int n = requeueEach(k, ids, bound);
          moved[0] += n < 0 ? -n - 1 : n;
          return n >= 0;
        });
    return moved[0];
  }

  /** {@inheritDoc} Steps like {@link #requeueAll(String, DeadLetterFilter, DeadLetterMark)}. */
  @Override
  public long purge(String queue, DeadLetterFilter filter, DeadLetterMark mark) {
    RedisKeys k = RedisKeys.of(queue);
    long[] deleted = {0};
    eachMarked(
        k,
        filter,
        mark,
        ids -> {
          deleted[0] += ids.isEmpty() ? 0 : deleteAll(k, ids, Long.toString(mark.sequence()));
          return true;
        });
    return deleted[0];
  }

  /**
   * Hands {@code step} the ids of each scan step through the matches at or below {@code mark},
   * oldest first, until the end or until it answers false. Each step's candidates are read and
   * filtered here, so exactly the entries {@link #find} would show are acted on; the scripts that
   * act check the mark again.
   */
  private void eachMarked(
      RedisKeys k, DeadLetterFilter filter, DeadLetterMark mark, Predicate<List<String>> step) {
    Objects.requireNonNull(filter, "filter");
    String bound = Long.toString(mark.sequence());
    Scan scan = firstMarked(k, filter, mark);
    while (step.test(matchingIds(k, filter, scan.matches())) && !scan.end()) {
      scan = scan(k, filter, scan.next(), bound, BULK_PAGE, SCRIPT_SCAN, !filter.matchesAll());
    }
  }

  /** The first scan step of a bulk action, after checking {@code mark} against the queue. */
  private Scan firstMarked(RedisKeys k, DeadLetterFilter filter, DeadLetterMark mark) {
    Objects.requireNonNull(mark, "mark");
    mark.checkQueue(k.queue());
    Scan first =
        scan(
            k,
            filter,
            FIRST,
            Long.toString(mark.sequence()),
            BULK_PAGE,
            SCRIPT_SCAN,
            !filter.matchesAll());
    mark.check(k.queue(), first.highest());
    return first;
  }

  /** The stored ids of the candidates {@code filter} matches, in order. */
  private List<String> matchingIds(RedisKeys k, DeadLetterFilter filter, List<Tuple> candidates) {
    if (filter.matchesAll()) {
      return candidates.stream().map(Tuple::getElement).toList();
    }
    List<DeadLetter> read = readEach(k, candidates);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < read.size(); i++) {
      if (read.get(i) != null && filter.matches(read.get(i))) {
        ids.add(candidates.get(i).getElement());
      }
    }
    return ids;
  }

  /** The narrowing the scan script may do for {@code filter}'s type: none where it could differ. */
  private static String narrowedType(DeadLetterFilter filter) {
    return filter
        .typeIfSet()
        .filter(t -> !t.equals(UNDECODABLE_TYPE) && t.indexOf('"') < 0 && t.indexOf('\\') < 0)
        .orElse("");
  }

  /**
   * The narrowing the scan script may do for {@code filter}'s error text: none when the text is
   * part of what a damaged failure record reads as. Lower-casing beyond A-Z (which Lua does not do)
   * only finds more such texts, so it only narrows less.
   */
  private static String narrowedError(DeadLetterFilter filter) {
    return filter
        .errorTextIfSet()
        .filter(
            e -> FAILURE_FALLBACKS.stream().noneMatch(f -> f.contains(e.toLowerCase(Locale.ROOT))))
        .orElse("");
  }

  /**
   * One step of {@code dlq-scan.lua}: candidates, which Java still filters. With {@code measure}
   * the step's byte budget covers each entry's data and failure record, what Java reads of them.
   */
  private Scan scan(
      RedisKeys k,
      DeadLetterFilter filter,
      String after,
      String upTo,
      int limit,
      int budget,
      boolean measure) {
    @SuppressWarnings("unchecked")
    List<Object> reply =
        (List<Object>)
            redis.scriptRetryingOnce(
                "scan dead letters of " + k.queue(),
                Script.DLQ_SCAN,
                List.of(k.dead(), k.tasks(), k.failures(), k.deadSeq()),
                List.of(
                    after,
                    upTo,
                    narrowedType(filter),
                    narrowedError(filter),
                    Integer.toString(limit),
                    Integer.toString(budget),
                    Long.toString(SCRIPT_BYTES),
                    measure ? "1" : "0"));
    List<Tuple> matches = new ArrayList<>((reply.size() - 5) / 2);
    for (int i = 5; i + 1 < reply.size(); i += 2) {
      matches.add(
          new Tuple(
              RedisWorkers.text(reply.get(i)),
              Double.parseDouble(RedisWorkers.text(reply.get(i + 1)))));
    }
    return new Scan(
        matches,
        highest((Long) reply.get(0), RedisWorkers.text(reply.get(1))),
        RedisWorkers.text(reply.get(2)),
        ((Long) reply.get(3)) == 1,
        ((Long) reply.get(4)).intValue());
  }

  /**
   * The highest death sequence handed out: the counter, or the newest entry's score if a
   * hand-written one lies above it (cut to a whole number within a long).
   */
  private static long highest(long counter, String newest) {
    if (newest.isEmpty()) {
      return Math.max(counter, 0);
    }
    double score = Double.parseDouble(newest.replace("inf", "Infinity"));
    return Math.max(
        Math.max(counter, 0),
        score >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(Math.max(score, 0)));
  }

  /**
   * One step of a scan: the matches (id and sequence), the highest sequence handed out, the cursor
   * after the last entry looked at, whether none is left, and how many it looked at.
   */
  private record Scan(List<Tuple> matches, long highest, String next, boolean end, int scanned) {}

  @Override
  public Optional<DeadLetter> get(String queue, TaskId id) {
    RedisKeys k = RedisKeys.of(queue);
    Double score =
        redis.callRetryingOnce(
            "get dead letter " + id, () -> redis.jedis().zscore(k.dead(), id.value()));
    if (score != null) {
      return readAll(k, List.of(new Tuple(id.value(), score))).stream().findFirst();
    }
    return StandInId.parse(id)
        .flatMap(
            standIn ->
                storedId(k, standIn)
                    .flatMap(
                        s ->
                            readAll(k, List.of(new Tuple(s, standIn.sequence()))).stream()
                                .findFirst()));
  }

  /** The stored id that {@code standIn} names, if that entry is still dead. */
  private Optional<String> storedId(RedisKeys k, StandInId standIn) {
    String at = DeadSnapshot.score(standIn.sequence());
    List<String> members =
        redis.callRetryingOnce(
            "find dead letter " + standIn.taskId(),
            () -> redis.jedis().zrangeByScore(k.dead(), at, at));
    return members.stream().filter(standIn::standsFor).findFirst();
  }

  /**
   * The stored id of the entry listed as {@code id} when that is a stand-in; no lookup for other
   * ids.
   */
  private Optional<String> storedId(RedisKeys k, TaskId id) {
    return StandInId.parse(id).flatMap(standIn -> storedId(k, standIn));
  }

  @Override
  public void requeue(String queue, TaskId id) {
    RedisKeys k = RedisKeys.of(queue);
    Object reply = requeueOnce(k, id.value(), "");
    if ("NOT_FOUND".equals(reply)) {
      Optional<String> stored = storedId(k, id);
      if (stored.isPresent()) {
        throw new InvalidTaskException(
            "dead letter "
                + id
                + " of queue "
                + queue
                + " is stored under \""
                + shown(stored.get())
                + "\", which is not a valid task id (1.."
                + Names.MAX_LENGTH
                + " characters of [A-Za-z0-9._:-]): no worker can run it, so it cannot be requeued; inspect it, then "
                + "delete it");
      }
      throw new TaskNotFoundException(
          "task " + id + " is not in the dead-letter queue of " + queue);
    }
    if ("FULL".equals(reply)) {
      throw new QueueFullException(
          "queue "
              + queue
              + " is full (capacity "
              + redis.config().capacityPerQueue()
              + "); task "
              + id
              + " stays dead");
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Pages through a {@link DeadSnapshot}, one script per entry; each script moves its entry only
   * if its sequence is still within the snapshot.
   */
  @Override
  public int requeueAll(String queue) {
    RedisKeys k = RedisKeys.of(queue);
    DeadSnapshot snapshot = DeadSnapshot.take(redis, k);
    int moved = 0;
    for (List<String> ids = snapshot.nextPage(); !ids.isEmpty(); ids = snapshot.nextPage()) {
      int n = requeueEach(k, ids, snapshot.bound());
      if (n < 0) {
        return moved - n - 1;
      }
      moved += n;
    }
    return moved;
  }

  /**
   * Requeues {@code ids} in order, each only while within {@code bound}, skipping ids no task can
   * have (requeue refuses them too). Returns how many moved, or {@code -(moved + 1)} when the queue
   * filled up and the rest were left.
   */
  private int requeueEach(RedisKeys k, List<String> ids, String bound) {
    int moved = 0;
    for (String id : ids) {
      if (!StandInId.isValidTaskId(id)) {
        continue;
      }
      Object reply = requeueOnce(k, id, bound);
      if ("FULL".equals(reply)) {
        return -(moved + 1);
      }
      if ("OK".equals(reply)) {
        moved++;
      }
    }
    return moved;
  }

  private Object requeueOnce(RedisKeys k, String id, String bound) {
    redis.register(k.queue());
    return redis.scriptRetryingOnce(
        "requeue dead letter " + id,
        Script.DLQ_REQUEUE,
        Settler.withLevels(
            k, k.dead(), k.failures(), k.attempts(), k.ready(), k.delayed(), k.wakeups()),
        List.of(id, Integer.toString(redis.config().capacityPerQueue()), bound));
  }

  @Override
  public boolean delete(String queue, TaskId id) {
    RedisKeys k = RedisKeys.of(queue);
    return deleteAll(k, List.of(id.value()), "") == 1
        || storedId(k, id).map(stored -> deleteAll(k, List.of(stored), "") == 1).orElse(false);
  }

  /** {@inheritDoc} Pages through a {@link DeadSnapshot}, one script per page. */
  @Override
  public long purge(String queue) {
    RedisKeys k = RedisKeys.of(queue);
    DeadSnapshot snapshot = DeadSnapshot.take(redis, k);
    long deleted = 0;
    for (List<String> ids = snapshot.nextPage(); !ids.isEmpty(); ids = snapshot.nextPage()) {
      deleted += deleteAll(k, ids, snapshot.bound());
    }
    return deleted;
  }

  private long deleteAll(RedisKeys k, List<String> ids, String bound) {
    List<String> keys =
        List.of(
            k.dead(),
            k.tasks(),
            k.attempts(),
            k.failures(),
            k.dumps(),
            k.priorities(),
            k.unique(),
            k.uniqueOf(),
            k.uniqueUntil(),
            k.errors(),
            k.started(),
            k.cancelled());
    List<String> args = new ArrayList<>(ids.size() + 2);
    args.add(bound);
    args.add(redis.now());
    args.addAll(ids);
    return (Long)
        redis.scriptRetryingOnce(
            "delete dead letters of " + k.queue(), Script.DLQ_DELETE, keys, args);
  }

  @Override
  public long size(String queue) {
    RedisKeys k = RedisKeys.of(queue);
    return redis.callRetryingOnce(
        "count dead letters of " + queue, () -> redis.jedis().zcard(k.dead()));
  }

  /**
   * Reads the dead entries {@code entries} name (id and sequence), in order, with one HMGET per
   * hash of the queue; an entry deleted since the index was read is left out.
   */
  private List<DeadLetter> readAll(RedisKeys k, List<Tuple> entries) {
    return readEach(k, entries).stream().filter(Objects::nonNull).toList();
  }

  /** Like {@link #readAll}, but one element per entry: null for an entry deleted meanwhile. */
  private List<DeadLetter> readEach(RedisKeys k, List<Tuple> entries) {
    if (entries.isEmpty()) {
      return List.of();
    }
    String[] ids = entries.stream().map(Tuple::getElement).toArray(String[]::new);
    String what = "read " + ids.length + " dead letters of " + k.queue();
    List<String> datas = redis.callRetryingOnce(what, () -> redis.jedis().hmget(k.tasks(), ids));
    List<String> attempts =
        redis.callRetryingOnce(what, () -> redis.jedis().hmget(k.attempts(), ids));
    List<String> failures =
        redis.callRetryingOnce(what, () -> redis.jedis().hmget(k.failures(), ids));
    List<DeadLetter> out = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      String data = datas.get(i);
      String failureJson = failures.get(i);
      if (data == null && failureJson == null) {
        out.add(null); // deleted between the index read and this one
        continue;
      }
      Failure failure = redis.codec().decodeFailure(failureJson);
      String id = ids[i];
      try {
        if (data == null) {
          throw new UndecodableTaskException("no data");
        }
        out.add(
            new DeadLetter(redis.codec().decode(data, id, k.queue(), attempts.get(i)), failure));
      } catch (UndecodableTaskException e) {
        out.add(
            new DeadLetter(placeholder(k.queue(), id, entries.get(i).getScore(), data), failure));
      }
    }
    return out;
  }

  /**
   * Stands in for an entry that is not a valid task, carrying its raw data so an operator can
   * inspect it, and, if its id is not a valid task id either, the stand-in id and the stored id.
   */
  private Task placeholder(String queue, String id, double sequence, String data) {
    byte[] raw = data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8);
    int max = redis.config().limits().maxPayloadBytes();
    byte[] cut = raw.length <= max ? raw : Arrays.copyOf(raw, max);
    boolean valid = StandInId.isValidTaskId(id);
    TaskId taskId = valid ? new TaskId(id) : StandInId.of(id, sequence).taskId();
    Map<String, String> headers = valid ? Map.of() : Map.of(RAW_ID_HEADER, shown(id));
    return new Task(
        taskId,
        Names.check("queue", queue),
        UNDECODABLE_TYPE,
        Payload.of(cut),
        headers,
        Instant.EPOCH,
        1);
  }

  private static String shown(String storedId) {
    return storedId.length() <= RAW_ID_SHOWN
        ? storedId
        : storedId.substring(0, RAW_ID_SHOWN - 3) + "...";
  }
}
