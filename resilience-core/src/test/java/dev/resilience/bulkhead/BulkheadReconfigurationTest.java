package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import dev.resilience.core.Together;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Bulkhead#reconfigure}: a new maximum applies to the next acquisitions; the permits held are kept. */
class BulkheadReconfigurationTest {

    private final ManualClock clock = new ManualClock();

    private static BulkheadConfig max(int calls) {
        return BulkheadConfig.builder().maxConcurrentCalls(calls).maxWaitDuration(Duration.ofSeconds(10)).build();
    }

    private static List<Bulkhead.Permit> takeAll(Bulkhead bulkhead) {
        List<Bulkhead.Permit> taken = new ArrayList<>();
        Bulkhead.Permit permit;
        while ((permit = bulkhead.tryAcquire()) != null) {
            taken.add(permit);
        }
        return taken;
    }

    @Test
    void aCutBelowTheCallsInFlightLetsThemFinishAndAdmitsNoneUntilUnderTheNewMaximum() {
        Bulkhead bulkhead = Bulkhead.of("b", max(3), clock);
        List<Bulkhead.Permit> held = takeAll(bulkhead);
        assertThat(held).hasSize(3);

        bulkhead.reconfigure(max(1));

        assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
        assertThat(bulkhead.tryAcquire()).isNull();
        assertThat(held.get(0).release()).isTrue();
        assertThat(bulkhead.tryAcquire()).isNull(); // 2 in flight, max 1
        assertThat(held.get(1).release()).isTrue();
        assertThat(bulkhead.tryAcquire()).isNull(); // 1 in flight, max 1
        assertThat(held.get(2).release()).isTrue();
        assertThat(takeAll(bulkhead)).hasSize(1);
    }

    @Test
    void aRaiseHandsTheNewPermitsToTheCallersWaiting() {
        Bulkhead bulkhead = Bulkhead.of("b", max(1), clock);
        Bulkhead.Permit held = bulkhead.tryAcquire();
        CompletableFuture<String> first = bulkhead.callAsync(() -> new CompletableFuture<String>()).toCompletableFuture();
        AtomicInteger started = new AtomicInteger();
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            waiting.add(bulkhead.callAsync(() -> {
                started.incrementAndGet();
                return CompletableFuture.completedFuture("ran");
            }).toCompletableFuture());
        }
        assertThat(started).hasValue(0);
        assertThat(first).isNotDone();

        bulkhead.reconfigure(max(3)); // 1 held: 2 free for the 4 waiting, oldest first

        // The first waiter's call keeps its permit (its stage never completes); the others pass one by one through
        // the second permit as each finishes.
        assertThat(started).hasValue(3);
        assertThat(waiting).allMatch(CompletableFuture::isDone);
        assertThat(first).isNotDone();
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        held.release();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(2);
    }

    @Test
    void aChangePublishesConfigChangedAndShowsTheNewMaximum() {
        Bulkhead bulkhead = Bulkhead.of("b", max(3), clock);
        List<BulkheadEvent> events = new ArrayList<>();
        bulkhead.events().subscribe(events::add);

        bulkhead.reconfigure(max(7));

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.eventType()).isEqualTo(BulkheadEvent.Type.CONFIG_CHANGED);
            assertThat(e.details()).containsEntry("from", max(3).toString()).containsEntry("to", max(7).toString());
        });
        assertThat(bulkhead.config().maxConcurrentCalls()).isEqualTo(7);
        assertThat(bulkhead.metrics().maxConcurrentCalls()).isEqualTo(7);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(7);
    }

    /**
     * Many threads call while the maximum moves between 2 and 6: never more calls in flight than the largest maximum,
     * and at the end every permit is back (none lost, none doubled) and every call is counted once.
     */
    @Test
    void changingTheMaximumUnderLoadLosesAndDoublesNoPermit() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("b", BulkheadConfig.builder().maxConcurrentCalls(2).build(), clock);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        LongAdder ran = new LongAdder();
        LongAdder rejected = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        CountDownLatch changerDone = new CountDownLatch(1);
        AtomicInteger changes = new AtomicInteger();
        Thread changer = new Thread(() -> {
            try {
                for (int i = 0; running.get(); i++) {
                    bulkhead.reconfigure(BulkheadConfig.builder().maxConcurrentCalls(i % 2 == 0 ? 6 : 2).build());
                    changes.incrementAndGet();
                    Thread.yield();
                }
            } finally {
                changerDone.countDown();
            }
        });
        changer.start();
        int threads = 8;
        int callsEach = 5_000;
        try {
            Together.run(threads, me -> {
                for (int i = 0; i < callsEach; i++) {
                    try {
                        bulkhead.call(() -> {
                            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                            ran.increment();
                            Thread.yield();
                            inFlight.decrementAndGet();
                            return null;
                        });
                    } catch (BulkheadFullException e) {
                        rejected.increment();
                    }
                }
            });
        } finally {
            running.set(false);
            assertThat(changerDone.await(30, TimeUnit.SECONDS)).isTrue();
        }

        BulkheadMetrics metrics = bulkhead.metrics();
        assertThat(changes.get()).isPositive();
        assertThat(peak.get()).isBetween(1, 6);
        assertThat(ran.sum() + rejected.sum()).isEqualTo((long) threads * callsEach);
        assertThat(metrics.permittedCalls()).isEqualTo(ran.sum());
        assertThat(metrics.rejectedCalls()).isEqualTo(rejected.sum());
        assertThat(metrics.availableConcurrentCalls()).isEqualTo(metrics.maxConcurrentCalls());

        bulkhead.reconfigure(BulkheadConfig.builder().maxConcurrentCalls(2).build());
        assertThat(takeAll(bulkhead)).hasSize(2); // exactly the new maximum: no permit left over from the run
    }
}
