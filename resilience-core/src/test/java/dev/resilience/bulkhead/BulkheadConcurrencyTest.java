package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads at once through one bulkhead, exiting every possible way: the limit is never exceeded and
 * every permit comes back, exactly.
 */
class BulkheadConcurrencyTest {

    private static final int THREADS = 32;
    private static final int LIMIT = 4;

    /** Tracks how many calls hold a permit right now, and the most ever. */
    private static final class InFlight {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final LongAdder entered = new LongAdder();

        void enter() {
            entered.increment();
            int n = now.incrementAndGet();
            peak.accumulateAndGet(n, Math::max);
        }

        void leave() {
            now.decrementAndGet();
        }
    }

    private static final class Boom extends Error {
        Boom() {
            super("boom", null, false, false);
        }
    }

    /** One synchronous call ending the way {@code i} picks: value, null, checked, unchecked, Error, interrupt. */
    private static void callEndingWith(Bulkhead bulkhead, InFlight inFlight, int i, LongAdder rejected) {
        try {
            bulkhead.call(() -> {
                inFlight.enter();
                try {
                    Thread.yield();
                    switch (i % 6) {
                        case 0:
                            return "value";
                        case 1:
                            return null;
                        case 2:
                            throw new IOException("checked");
                        case 3:
                            throw new IllegalStateException("unchecked");
                        case 4:
                            throw new Boom();
                        default:
                            Thread.currentThread().interrupt();
                            throw new InterruptedException("interrupted");
                    }
                } finally {
                    inFlight.leave();
                }
            });
        } catch (BulkheadFullException e) {
            rejected.increment();
        } catch (Throwable expected) {
            // the call's own ending
        } finally {
            Thread.interrupted(); // the interrupt exit leaves the flag set: clear it for the next call
        }
    }

    @Test
    void aRejectingBulkheadNeverExceedsItsLimitAndGetsEveryPermitBack() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("sync-reject", BulkheadConfig.builder().maxConcurrentCalls(LIMIT).build(), new ManualClock());
        runRejectingRounds(bulkhead, 10, 250, BulkheadConcurrencyTest::callEndingWith);
    }

    @Test
    void aWaitingBulkheadAdmitsEveryCallAndNeverExceedsItsLimit() throws Exception {
        // The clock never moves: no wait times out, so every single call must eventually get a permit.
        Bulkhead bulkhead = Bulkhead.of("sync-wait", BulkheadConfig.builder().maxConcurrentCalls(LIMIT)
                .maxWaitDuration(Duration.ofHours(1)).build(), new ManualClock());
        InFlight inFlight = new InFlight();
        LongAdder rejected = new LongAdder();
        int rounds = 5;
        int callsPerThread = 100;

        Rounds.run(THREADS, rounds, thread -> {
            for (int i = 0; i < callsPerThread; i++) {
                callEndingWith(bulkhead, inFlight, thread + i, rejected);
            }
        }, () -> {
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(LIMIT);
            assertThat(bulkhead.metrics().waitingCalls()).isZero();
        });

        long total = (long) THREADS * rounds * callsPerThread;
        assertThat(rejected.sum()).isZero();
        assertThat(inFlight.entered.sum()).isEqualTo(total);
        assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(total);
        assertThat(inFlight.peak.get()).isEqualTo(LIMIT);
    }

    /** One asynchronous call ending the way {@code i} picks. */
    private static void asyncCallEndingWith(Bulkhead bulkhead, InFlight inFlight, int i, LongAdder rejected) {
        CompletableFuture<Object> work = new CompletableFuture<>();
        int ending = i % 5;
        AtomicInteger started = new AtomicInteger();
        CompletionStage<Object> result = bulkhead.callAsync(() -> {
            started.incrementAndGet();
            inFlight.enter();
            switch (ending) {
                case 2:
                    return work; // left by the caller, just before it cancels
                case 3:
                    inFlight.leave();
                    throw new IllegalStateException("supplier throws");
                case 4:
                    inFlight.leave();
                    return null;
                default:
                    return work.whenComplete((v, t) -> inFlight.leave());
            }
        });
        switch (ending) {
            case 0 -> work.complete("value");
            case 1 -> work.completeExceptionally(new IOException("failed"));
            case 2 -> {
                // Cancel the returned stage (the permit comes back now), then let the work end: no second release.
                if (started.get() == 1) {
                    inFlight.leave();
                }
                result.toCompletableFuture().cancel(true);
                work.complete("late");
            }
            default -> {
            }
        }
        result.toCompletableFuture().handle((v, t) -> {
            if (t instanceof BulkheadFullException) {
                rejected.increment();
            }
            return null;
        });
    }

    @Test
    void asyncCallsReturnEveryPermitExactlyOnceWhateverTheEnding() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("async-reject", BulkheadConfig.builder().maxConcurrentCalls(LIMIT).build(), new ManualClock());
        runRejectingRounds(bulkhead, 5, 150, BulkheadConcurrencyTest::asyncCallEndingWith);
    }

    private record QueuedCall(int ending, AtomicInteger started) {
    }

    @Test
    void queuedAsyncCallsAreAllServedAndEveryPermitComesBack() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("async-wait", BulkheadConfig.builder().maxConcurrentCalls(LIMIT)
                .maxWaitDuration(Duration.ofHours(1)).build(), new ManualClock());
        InFlight inFlight = new InFlight();
        LongAdder rejected = new LongAdder();
        Queue<QueuedCall> calls = new ConcurrentLinkedQueue<>();
        int rounds = 5;
        int callsPerThread = 100;

        Rounds.run(THREADS, rounds, thread -> {
            for (int i = 0; i < callsPerThread; i++) {
                int ending = (thread + i) % 3;
                CompletableFuture<Object> work = new CompletableFuture<>();
                AtomicInteger started = new AtomicInteger();
                CompletionStage<Object> result = bulkhead.callAsync(() -> {
                    started.incrementAndGet();
                    inFlight.enter();
                    return work.whenComplete((v, t) -> inFlight.leave());
                });
                if (ending == 1) {
                    work.completeExceptionally(new IOException("failed"));
                } else {
                    work.complete("value");
                }
                // Cancelled after its work ended: a call still queued never runs. (Cancelling a running call
                // cancels its stage, which would skip the in-flight bookkeeping chained on it.)
                if (ending == 2) {
                    result.toCompletableFuture().cancel(true);
                }
                calls.add(new QueuedCall(ending, started));
            }
        }, () -> {
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(LIMIT);
            assertThat(bulkhead.metrics().waitingCalls()).isZero();
            assertThat(inFlight.now).hasValue(0);
            // Every call not cancelled ran exactly once; a cancelled one ran at most once.
            for (QueuedCall call : calls) {
                int times = call.started().get();
                if (call.ending() == 2) {
                    assertThat(times).isBetween(0, 1);
                } else {
                    assertThat(times).isEqualTo(1);
                }
            }
        });

        long total = (long) THREADS * rounds * callsPerThread;
        long neverStarted = calls.stream().filter(c -> c.started().get() == 0).count();
        assertThat(calls).hasSize((int) total);
        assertThat(bulkhead.metrics().rejectedCalls()).isZero();
        assertThat(inFlight.peak.get()).isBetween(1, LIMIT);
        assertThat(inFlight.entered.sum()).isEqualTo(total - neverStarted);
        assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(inFlight.entered.sum());
    }

    /** One way of making a call: through the bulkhead, counting entries and rejections. */
    @FunctionalInterface
    private interface CallStyle {
        void call(Bulkhead bulkhead, InFlight inFlight, int seed, LongAdder rejected);
    }

    /**
     * Runs rounds of calls on all threads, checks after each round that every permit is back, and at the end that
     * the limit held and every call was either admitted or rejected, exactly as the metrics say.
     */
    private static void runRejectingRounds(Bulkhead bulkhead, int rounds, int callsPerThread, CallStyle style) throws Exception {
        InFlight inFlight = new InFlight();
        LongAdder rejected = new LongAdder();
        Rounds.run(THREADS, rounds, thread -> {
            for (int i = 0; i < callsPerThread; i++) {
                style.call(bulkhead, inFlight, thread + i, rejected);
            }
        }, () -> {
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(LIMIT);
            assertThat(inFlight.now).hasValue(0);
        });

        long total = (long) THREADS * rounds * callsPerThread;
        assertThat(inFlight.peak.get()).isBetween(1, LIMIT);
        assertThat(inFlight.entered.sum() + rejected.sum()).isEqualTo(total);
        assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(inFlight.entered.sum());
        assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(rejected.sum());
    }
}
