package dev.dq.chaos.proxy;

import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * What a {@link FaultProxy} currently does to its connections, shared by all of them: the mode
 * (pass, latency, blackhole), the one-shot rules on commands, the budget of replies to cut, and the
 * counters behind {@link Stats}. Thread-safe.
 */
final class Faults {
  enum Kind {
    PASS,
    LATENCY,
    BLACKHOLE
  }

  /** A mode: {@code delay} is zero unless the kind is LATENCY. */
  record Mode(Kind kind, Duration delay) {
    static final Mode PASS = new Mode(Kind.PASS, Duration.ZERO);
    static final Mode BLACKHOLE = new Mode(Kind.BLACKHOLE, Duration.ZERO);

    Mode {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(delay, "delay");
    }

    static Mode latency(Duration oneWay) {
      Objects.requireNonNull(oneWay, "oneWay");
      if (oneWay.isNegative() || oneWay.isZero()) {
        throw new IllegalArgumentException("latency must be > 0: " + oneWay);
      }
      return new Mode(Kind.LATENCY, oneWay);
    }
  }

  /** What to do with one command. */
  enum Action {
    FORWARD,
    HOLD,
    SWALLOW,
    CUT
  }

  /** The decision on one command; {@code done} is the rule's future (null for FORWARD and CUT). */
  record Decision(Action action, CompletableFuture<Command> done) {
    static final Decision FORWARD = new Decision(Action.FORWARD, null);
    static final Decision CUT = new Decision(Action.CUT, null);
  }

  /** A one-shot rule; a class, not a record, so that two equal rules stay two. */
  private static final class Rule {
    final Action action;
    final Predicate<Command> match;
    final CompletableFuture<Command> done = new CompletableFuture<>();

    Rule(Action action, Predicate<Command> match) {
      this.action = action;
      this.match = Objects.requireNonNull(match, "match");
    }
  }

  private final Queue<Rule> rules = new ConcurrentLinkedQueue<>();
  private final AtomicInteger cutBudget = new AtomicInteger();
  private volatile Mode mode = Mode.PASS;

  final LongAdder connections = new LongAdder();
  final LongAdder commands = new LongAdder();
  final LongAdder cut = new LongAdder();
  final LongAdder held = new LongAdder();
  final LongAdder swallowed = new LongAdder();
  final LongAdder bytes = new LongAdder();

  Mode mode() {
    return mode;
  }

  /** Sets the mode and returns the one it replaces. */
  synchronized Mode mode(Mode next) {
    Mode previous = mode;
    mode = Objects.requireNonNull(next, "mode");
    return previous;
  }

  void cutReplies(int commands) {
    cutBudget.set(commands);
  }

  CompletableFuture<Command> addRule(Action action, Predicate<Command> match) {
    Rule rule = new Rule(action, match);
    rules.add(rule);
    // a caller that gives up cancels the future: the rule must not fire later, unexpectedly
    rule.done.whenComplete(
        (command, error) -> {
          if (rule.done.isCancelled()) {
            rules.remove(rule);
          }
        });
    return rule.done;
  }

  /**
   * Decides what happens to a command about to be forwarded: the oldest matching rule wins (and is
   * used up), else a cut if the budget has one left, else forward. A predicate that throws fails
   * its rule's future and is dropped.
   */
  Decision onCommand(Command command) {
    commands.increment();
    for (Rule rule : rules) {
      boolean matches;
      try {
        matches = rule.match.test(command);
      } catch (RuntimeException e) {
        if (rules.remove(rule)) {
          rule.done.completeExceptionally(e);
        }
        continue;
      }
      if (matches && rules.remove(rule)) {
        return new Decision(rule.action, rule.done);
      }
    }
    if (cutBudget.getAndUpdate(n -> n > 0 ? n - 1 : n) > 0) {
      return Decision.CUT;
    }
    return Decision.FORWARD;
  }

  /** Fails every rule not used yet: the proxy is closing. */
  void failRules(RuntimeException why) {
    for (Rule rule; (rule = rules.poll()) != null; ) {
      rule.done.completeExceptionally(why);
    }
  }

  Stats stats() {
    return new Stats(
        connections.sum(), commands.sum(), cut.sum(), held.sum(), swallowed.sum(), bytes.sum());
  }
}
