package dev.resilience.test;

import dev.resilience.Policy;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadMetrics;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.Registry;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.retry.Retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Puts policy instances back to their starting state between tests, with the core's own reset operations: circuit
 * breakers {@link CircuitBreaker#reset() reset} (CLOSED, empty window, counters cleared), rate limiters
 * {@link RateLimiter#refill() refilled}, retries {@link Retry#reset() reset} (counters and retry budgets cleared).
 * Timeouts keep no state to reset.
 *
 * <p>Bulkheads are not forced empty: a permit belongs to the call holding it and is released exactly once, by that
 * call. {@link #awaitBulkheadsEmpty} instead waits, a bounded time, for the calls a test started to finish, and fails
 * naming the bulkhead when one still holds a permit: a call that never ends, or a permit that leaked, is a finding.
 */
public final class ResilienceReset {

    private ResilienceReset() {
    }

    /**
     * Resets every instance of the given registries (see the class comment).
     *
     * @param registries the registries, e.g. {@code ResilienceRegistries.all()} of the starter
     */
    public static void resetAll(Iterable<? extends Registry<? extends Policy, ?>> registries) {
        for (Registry<? extends Policy, ?> registry : registries) {
            registry.all().forEach(ResilienceReset::reset);
        }
    }

    /**
     * Resets one instance (see the class comment); a bulkhead or a timeout is left as it is.
     *
     * @param policy the instance
     */
    public static void reset(Policy policy) {
        if (policy instanceof CircuitBreaker breaker) {
            breaker.reset();
        } else if (policy instanceof RateLimiter limiter) {
            limiter.refill();
        } else if (policy instanceof Retry retry) {
            retry.reset();
        }
    }

    /**
     * Waits until no bulkhead of the given registries holds a permit, has a caller waiting, or (thread-pool bulkheads)
     * has a call running or queued.
     *
     * @param registries the registries
     * @param grace the longest real time to wait for calls in flight to finish
     * @throws AssertionError naming each bulkhead still busy after {@code grace}
     */
    public static void awaitBulkheadsEmpty(Iterable<? extends Registry<? extends Policy, ?>> registries, Duration grace) {
        // Real time on purpose: the calls being waited for run on real threads, whatever clock the policies read.
        long deadline = System.nanoTime() + grace.toNanos();
        List<String> busy = busyBulkheads(registries);
        while (!busy.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.currentThread().isInterrupted()) {
                break; // the flag stays set for the caller
            }
            busy = busyBulkheads(registries);
        }
        if (!busy.isEmpty()) {
            throw new AssertionError("Bulkheads still busy " + grace.toMillis() + " ms after the test: " + busy
                    + ". A call the test started has not finished, or a permit was never released.");
        }
    }

    private static List<String> busyBulkheads(Iterable<? extends Registry<? extends Policy, ?>> registries) {
        List<String> busy = new ArrayList<>();
        for (Registry<? extends Policy, ?> registry : registries) {
            for (Policy policy : registry.all()) {
                if (policy instanceof Bulkhead bulkhead) {
                    BulkheadMetrics m = bulkhead.metrics();
                    int held = m.maxConcurrentCalls() - m.availableConcurrentCalls();
                    if (held != 0 || m.waitingCalls() != 0) {
                        busy.add("bulkhead '" + bulkhead.name() + "' (" + held + " permits held, " + m.waitingCalls()
                                + " waiting)");
                    }
                } else if (policy instanceof ThreadPoolBulkhead pool) {
                    ThreadPoolBulkheadMetrics m = pool.metrics();
                    if (m.activeThreads() != 0 || m.queueDepth() != 0) {
                        busy.add("thread-pool bulkhead '" + pool.name() + "' (" + m.activeThreads() + " running, "
                                + m.queueDepth() + " queued)");
                    }
                }
            }
        }
        return busy;
    }
}
