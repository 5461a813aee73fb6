package dev.resilience.bulkhead.internal;

import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/** The permit word counts acquisitions modulo 2^32: crossing that boundary loses no call and no permit. */
class SemaphoreBulkheadWrapTest {

    private static final long WRAP = 1L << 32;

    private static SemaphoreBulkhead startingAt(long acquisitions, int limit) {
        return new SemaphoreBulkhead("wrap", BulkheadConfig.builder().maxConcurrentCalls(limit)
                .maxWaitDuration(Duration.ZERO).build(), new ManualClock(), acquisitions);
    }

    @Test
    void callsCrossingTheWrapAreAllCountedAndEveryPermitComesBack() {
        SemaphoreBulkhead bulkhead = startingAt(WRAP - 3, 2);

        for (int i = 0; i < 10; i++) {
            assertThat(bulkhead.call(() -> "ok")).isEqualTo("ok");
        }

        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(2, 2, 0, WRAP + 7, 0));
    }

    @Test
    void theLimitStillHoldsAcrossTheWrap() {
        SemaphoreBulkhead bulkhead = startingAt(WRAP - 1, 1);

        String nested = bulkhead.call(() -> {
            try {
                return bulkhead.call(() -> "inner ran");
            } catch (BulkheadFullException e) {
                return "inner rejected";
            }
        });

        assertThat(nested).isEqualTo("inner rejected");
        assertThat(bulkhead.metrics()).isEqualTo(new BulkheadMetrics(1, 1, 0, WRAP, 1));
    }

    @Test
    void permittedCallsNeverGoDownWhileManyThreadsCrossTheWrap() throws Exception {
        long start = 3 * WRAP - 20_000;
        SemaphoreBulkhead bulkhead = startingAt(start, 4);
        int workers = 8;
        int callsPerWorker = 5_000;
        LongAdder ran = new LongAdder();
        List<Thread> callers = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            callers.add(new Thread(() -> {
                for (int i = 0; i < callsPerWorker; i++) {
                    try {
                        bulkhead.call(() -> {
                            ran.increment();
                            return "ok";
                        });
                    } catch (BulkheadFullException rejected) {
                        // counted by the bulkhead
                    }
                }
            }, "wrap-caller-" + w));
        }
        AtomicBoolean done = new AtomicBoolean();
        List<String> decreases = new ArrayList<>();
        Thread sampler = new Thread(() -> {
            long last = start;
            while (!done.get()) {
                long permitted = bulkhead.metrics().permittedCalls();
                if (permitted < last && decreases.size() < 10) {
                    decreases.add(last + " then " + permitted);
                }
                last = permitted;
            }
        }, "wrap-sampler");

        sampler.start();
        callers.forEach(Thread::start);
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(60));
        }
        done.set(true);
        sampler.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(ran.sum()).isGreaterThan(20_000);
        assertThat(decreases).isEmpty();
        BulkheadMetrics metrics = bulkhead.metrics();
        assertThat(metrics.permittedCalls()).isEqualTo(start + ran.sum());
        assertThat(metrics.permittedCalls() + metrics.rejectedCalls() - start)
                .isEqualTo((long) workers * callsPerWorker);
        assertThat(metrics.availableConcurrentCalls()).isEqualTo(4);
    }
}
