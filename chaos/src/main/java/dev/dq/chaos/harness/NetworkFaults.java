package dev.dq.chaos.harness;

import dev.dq.adapter.redis.RedisBroker;
import dev.dq.chaos.ledger.FaultWindow;
import dev.dq.chaos.process.JvmProcess;
import dev.dq.chaos.proxy.Command;
import dev.dq.chaos.proxy.FaultProxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Faults of the network between dq and Redis, through each client's {@link FaultProxy}: latency, a
 * blackhole, resets, replies cut after Redis ran the command, and kills of a worker at one step of
 * the task protocol.
 */
final class NetworkFaults {
  /** How long a step kill waits for its command to go by before it gives up. */
  private static final Duration STEP_WAIT = Duration.ofSeconds(5);

  private NetworkFaults() {}

  /** Every link gets {@code oneWay} of latency each way for {@code length}. */
  static Fault latency(Duration oneWay, Duration length) {
    return everyLink(
        "latency", "latency " + oneWay.toMillis() + " ms", p -> p.latency(oneWay), length);
  }

  /** Every link forwards nothing for {@code length}; the connections it froze are closed after. */
  static Fault blackhole(Duration length) {
    return everyLink("blackhole", "blackhole", FaultProxy::blackhole, length);
  }

  /** Every connection of every link is reset (RST) at once. */
  static Fault reset() {
    return everyLink("reset", "reset", FaultProxy::reset, Duration.ZERO);
  }

  /**
   * On each link (each client process), the next {@code commands} commands, whichever they are,
   * reach Redis and their connection is closed before the reply: ambiguous enqueues, claims, acks
   * and renewals, as well as blocking waits.
   */
  static Fault cutReplies(int commands) {
    return everyLink(
        "cut-replies",
        "cut " + commands + " replies per link",
        p -> p.cutReplies(commands),
        Duration.ZERO);
  }

  private static Fault everyLink(
      String kind, String label, Consumer<FaultProxy> inject, Duration length) {
    return new Fault(
        kind,
        (rig, random) -> {
          long at = System.currentTimeMillis();
          rig.links().all().forEach(inject);
          if (!length.isZero()) {
            Thread.sleep(length.toMillis());
            rig.links().heal();
          }
          String suffix = length.isZero() ? "" : " for " + length.toMillis() + " ms";
          return new FaultWindow(label + suffix, at, System.currentTimeMillis());
        });
  }

  /**
   * A step of the task protocol at which a worker is killed, named by the Lua script it sends.
   *
   * <ul>
   *   <li>{@code before-claim}: the claim (which returns the leases with the tasks' data) was sent
   *       and not yet applied;
   *   <li>{@code before-ack}: the handler finished, the ack not yet sent;
   *   <li>{@code claim-reply-lost}, {@code ack-reply-lost}: Redis ran the claim (ack), the worker
   *       never got the reply.
   * </ul>
   */
  enum Step {
    BEFORE_CLAIM("before-claim", false, "claim"),
    BEFORE_ACK("before-ack", false, "ack", "ack-batch"),
    CLAIM_REPLY_LOST("claim-reply-lost", true, "claim"),
    ACK_REPLY_LOST("ack-reply-lost", true, "ack", "ack-batch");

    private final String label;
    private final boolean afterApply;
    private final String[] scripts;

    Step(String label, boolean afterApply, String... scripts) {
      this.label = label;
      this.afterApply = afterApply;
      this.scripts = scripts;
    }

    /**
     * Whether {@code command} runs one of this step's scripts by SHA. dq sends a script's source
     * (EVAL) only after Redis answered NOSCRIPT, e.g. just after a restart; such a call is not
     * caught and the step waits for the next.
     */
    boolean matches(Command command, Map<String, String> digests) {
      for (String script : scripts) {
        String sha = digests.get(script);
        if (sha != null && command.is("EVALSHA", sha)) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Kills a random running worker with SIGKILL at a step of the task protocol, caught by its proxy
   * as the step's command goes by, and starts a new one. The steps take turns, so a run of four
   * faults covers each.
   */
  static Fault killAtStep() {
    Map<String, String> digests = RedisBroker.scriptDigests();
    Step[] steps = Step.values();
    AtomicInteger turn = new AtomicInteger();
    return new Fault(
        "kill-at-step",
        (rig, random) -> {
          Step step = steps[turn.getAndIncrement() % steps.length];
          JvmProcess victim = rig.pickReadyWorker(random);
          FaultProxy proxy = rig.links().of(victim.name());
          CompletableFuture<Command> caught =
              step.afterApply
                  ? proxy.swallowReplyOfNext(c -> step.matches(c, digests))
                  : proxy.holdNext(c -> step.matches(c, digests));
          String outcome = "kill -9 " + victim.name() + " " + step.label;
          boolean caughtIt;
          try {
            caught.get(STEP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            caughtIt = true;
          } catch (TimeoutException e) {
            caught.cancel(false);
            caughtIt = false;
            outcome += " (the step did not go by within " + STEP_WAIT.toSeconds() + " s)";
          } catch (ExecutionException e) {
            caughtIt = false;
            outcome += " (the connection closed first: " + e.getCause().getMessage() + ")";
          }
          long at = System.currentTimeMillis();
          rig.killAndRestart(victim);
          return new FaultWindow(outcome, at, at, caughtIt);
        });
  }
}
