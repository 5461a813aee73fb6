package dev.resilience.circuitbreaker.internal;

import dev.resilience.circuitbreaker.CircuitBreaker.State;
import dev.resilience.circuitbreaker.CircuitBreakerEvent;
import dev.resilience.core.internal.Throwables;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes a breaker's transitions, each exactly once and in the order they were made, one at a time. Two threads
 * making transitions one right after the other would otherwise race to their listeners (a later
 * OPEN-&gt;FORCED_OPEN reported before the CLOSED-&gt;OPEN it followed).
 *
 * <p>Every state links the state that replaced it ({@link BreakerState#next}), so the states form a list in
 * transition order; the one thread that finds {@link #transitionsToPublish} at zero walks it from
 * {@link #lastPublished}, including whatever other threads link meanwhile (they only count themselves in and leave),
 * and stops when the count shows that nobody linked anything it has not seen. So a transition's events may be
 * delivered by the thread of a later transition, and a listener that transitions the breaker has its transition
 * published after it returns, never nested. No thread waits for a listener run by another.
 */
final class TransitionEvents {

    private final CircuitBreakerImpl breaker;
    /**
     * Transitions made but not yet published, plus one while a thread is publishing: the thread that raises it from
     * zero publishes, in order, every transition it finds, until it brings it back to zero.
     */
    private final AtomicInteger transitionsToPublish = new AtomicInteger();
    /** The latest state whose entry has been published; only the publishing thread reads or writes it. */
    private BreakerState lastPublished;

    TransitionEvents(CircuitBreakerImpl breaker, BreakerState initial) {
        this.breaker = breaker;
        this.lastPublished = initial;
    }

    /** Publishes the transitions linked so far, unless another thread is at it (it will publish them too). */
    void publishLinked() {
        if (transitionsToPublish.getAndIncrement() != 0) {
            return; // the thread publishing will find this transition linked
        }
        Throwable listenerFailure = null;
        int claimed = 1;
        do {
            BreakerState from = lastPublished;
            BreakerState to;
            while ((to = from.next) != null) {
                if (breaker.publisher.hasListeners()) {
                    try {
                        publishEntry(from, to);
                    } catch (Throwable t) { // an Error from a listener: the publisher has logged any other failure
                        if (listenerFailure == null) {
                            listenerFailure = t;
                        }
                    }
                }
                from = to;
            }
            lastPublished = from;
            claimed = transitionsToPublish.addAndGet(-claimed);
        } while (claimed != 0);
        if (listenerFailure != null) {
            throw Throwables.<RuntimeException>sneakyThrow(listenerFailure);
        }
    }

    private void publishEntry(BreakerState from, BreakerState to) {
        if (to.enteredByReset) {
            if (from.state() != State.CLOSED) {
                breaker.publish(CircuitBreakerEvent.Type.STATE_TRANSITION, details(from.state(), State.CLOSED));
            }
            breaker.publish(CircuitBreakerEvent.Type.RESET, Map.of());
            return;
        }
        if (to.enteredByReconfiguration) {
            return; // the same state with another window: the change publishes CONFIG_CHANGED itself
        }
        if (to instanceof OpenState open) {
            if (open.failureRate >= breaker.settings.failureThreshold) {
                breaker.publish(CircuitBreakerEvent.Type.FAILURE_RATE_EXCEEDED, Map.of("failureRate", open.failureRate));
            }
            if (open.slowRate >= breaker.settings.slowThreshold) {
                breaker.publish(CircuitBreakerEvent.Type.SLOW_CALL_RATE_EXCEEDED, Map.of("slowCallRate", open.slowRate));
            }
        }
        breaker.publish(CircuitBreakerEvent.Type.STATE_TRANSITION, details(from.state(), to.state()));
    }

    /** Transition details in reading order ({@code from}, then {@code to}), the same in every run. */
    private static Map<String, Object> details(State from, State to) {
        Map<String, Object> details = new LinkedHashMap<>(4);
        details.put("from", from.name());
        details.put("to", to.name());
        return details;
    }
}
