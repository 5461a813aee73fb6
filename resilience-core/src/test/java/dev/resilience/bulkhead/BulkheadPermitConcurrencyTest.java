package dev.resilience.bulkhead;

import dev.resilience.core.ManualClock;
import dev.resilience.core.Together;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads taking permits with {@link Bulkhead#tryAcquire()} and releasing them, some released twice by two
 * racing threads: every permit comes back exactly once, and the counters are exact.
 */
class BulkheadPermitConcurrencyTest {

    private static final int THREADS = 8;
    private static final int PERMITS_PER_THREAD = 2_000;
    private static final int MAX = 10;

    @Test
    void everyPermitComesBackExactlyOnceWhateverTheRacingReleases() throws Exception {
        int total = THREADS * PERMITS_PER_THREAD;
        // Room for every permit of phase 1, then a small bulkhead contended in phase 2.
        Bulkhead roomy = Bulkhead.of("roomy", BulkheadConfig.builder().maxConcurrentCalls(total)
                .maxWaitDuration(Duration.ZERO).build(), new ManualClock());
        AtomicReferenceArray<Bulkhead.Permit> permits = new AtomicReferenceArray<>(total);
        runTogether(me -> {
            for (int i = me; i < total; i += THREADS) {
                permits.set(i, roomy.tryAcquire());
            }
        });
        assertThat(roomy.metrics().availableConcurrentCalls()).isZero();
        assertThat(roomy.tryAcquire()).isNull();

        // Thread t releases permit i when i % THREADS == t, and every third permit is also released by the next
        // thread, which walks the array beside it: the two race.
        LongAdder wins = new LongAdder();
        LongAdder losses = new LongAdder();
        runTogether(me -> {
            for (int i = 0; i < total; i++) {
                boolean mine = i % THREADS == me;
                boolean raced = i % 3 == 0 && (i + 1) % THREADS == me;
                if (mine || raced) {
                    (permits.get(i).release() ? wins : losses).increment();
                }
            }
        });

        int raced = 0;
        for (int i = 0; i < total; i += 3) {
            raced++;
        }
        assertThat(wins.sum()).as("exactly one release of each permit won").isEqualTo(total);
        assertThat(losses.sum()).isEqualTo(raced);
        BulkheadMetrics metrics = roomy.metrics();
        assertThat(metrics.availableConcurrentCalls()).isEqualTo(total);
        assertThat(metrics.permittedCalls()).isEqualTo(total);
        assertThat(metrics.rejectedCalls()).isEqualTo(1);
    }

    @Test
    void contendedPermitsNeverExceedTheLimitAndAllComeBack() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("contended", BulkheadConfig.builder().maxConcurrentCalls(MAX)
                .maxWaitDuration(Duration.ZERO).build(), new ManualClock());
        LongAdder acquired = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder doubleReleases = new LongAdder();
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger peak = new java.util.concurrent.atomic.AtomicInteger();
        runTogether(me -> {
            for (int i = 0; i < PERMITS_PER_THREAD; i++) {
                Bulkhead.Permit permit = bulkhead.tryAcquire();
                if (permit == null) {
                    refused.increment();
                    continue;
                }
                acquired.increment();
                peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                inFlight.decrementAndGet();
                assertThat(permit.release()).isTrue();
                if (i % 2 == 0 && !permit.release()) {
                    doubleReleases.increment(); // ignored: must not free a second permit
                }
            }
        });

        assertThat(peak.get()).isLessThanOrEqualTo(MAX);
        assertThat(acquired.sum() + refused.sum()).isEqualTo((long) THREADS * PERMITS_PER_THREAD);
        assertThat(doubleReleases.sum()).isPositive();
        BulkheadMetrics metrics = bulkhead.metrics();
        assertThat(metrics.availableConcurrentCalls()).isEqualTo(MAX);
        assertThat(metrics.permittedCalls()).isEqualTo(acquired.sum());
        assertThat(metrics.rejectedCalls()).isEqualTo(refused.sum());
    }

    private static void runTogether(Together.Work work) throws Exception {
        Together.run(THREADS, work);
    }
}
