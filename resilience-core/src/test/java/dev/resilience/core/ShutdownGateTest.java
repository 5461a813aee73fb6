package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownGateTest {

    private final ShutdownGate gate = new ShutdownGate();

    @Test
    void admitsWhileOpenAndCountsInFlight() {
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.tryEnter()).isTrue();
        assertThat(gate.inFlight()).isEqualTo(2);
        gate.exit();
        assertThat(gate.inFlight()).isEqualTo(1);
    }

    @Test
    void admitsACallMadeFromInsideAdmittedWorkOnceClosedAndCountsIt() {
        assertThat(gate.tryEnter()).isTrue();
        ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
        work.begin();
        try {
            gate.close();
            assertThat(gate.tryEnter()).isTrue();
            assertThat(gate.inFlight()).isEqualTo(2);
            gate.exit();
        } finally {
            work.end();
        }
        gate.exit();
        assertThat(gate.tryEnter()).as("a new top-level call after the work ended").isFalse();
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void admittedWorkOnOneThreadDoesNotLetAnotherThreadsCallPass() throws Exception {
        ShutdownGate.AdmittedWork work = ShutdownGate.admittedWork();
        work.begin();
        try {
            gate.close();
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                assertThat(other.submit(gate::tryEnter).get(5, TimeUnit.SECONDS)).isFalse();
            } finally {
                other.shutdownNow();
            }
        } finally {
            work.end();
        }
    }

    @Test
    void refusesOnceClosedWithoutCountingTheRefusal() {
        gate.close();
        assertThat(gate.tryEnter()).isFalse();
        assertThat(gate.inFlight()).isZero();
        assertThat(gate.isClosed()).isTrue();
    }

    @Test
    void drainReturnsAtOnceWhenNothingIsInFlight() throws InterruptedException {
        ManualClock clock = new ManualClock();
        gate.close();
        ShutdownGate.DrainResult result = gate.awaitDrained(Duration.ofSeconds(30), clock);
        assertThat(result.inFlightAtStart()).isZero();
        assertThat(result.abandoned()).isZero();
        assertThat(result.took()).isZero();
    }

    @Test
    void drainGivesUpAtTheTimeoutAndCountsTheAbandoned() throws InterruptedException {
        ManualClock clock = new ManualClock();
        gate.tryEnter();
        gate.tryEnter();
        gate.close();
        ShutdownGate.DrainResult result = gate.awaitDrained(Duration.ofSeconds(1), clock);
        assertThat(result.inFlightAtStart()).isEqualTo(2);
        assertThat(result.abandoned()).isEqualTo(2);
        assertThat(result.finished()).isZero();
        assertThat(result.took()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void drainWaitsForCallsThatFinishInTime() throws Exception {
        gate.tryEnter();
        gate.close();
        Thread finisher = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            gate.exit();
        });
        finisher.start();
        ShutdownGate.DrainResult result = gate.awaitDrained(Duration.ofSeconds(20), Clock.system());
        finisher.join();
        assertThat(result.finished()).isEqualTo(1);
        assertThat(result.abandoned()).isZero();
        assertThat(result.took()).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void everyCallIsEitherAdmittedAndCountedOrRefusedWhenClosingUnderLoad() throws Exception {
        int threads = 32;
        int rounds = 2_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CyclicBarrier barrier = new CyclicBarrier(threads + 1);
        AtomicLong admitted = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    barrier.await();
                    for (int i = 0; i < rounds; i++) {
                        if (gate.tryEnter()) {
                            admitted.incrementAndGet();
                            finished.incrementAndGet();
                            gate.exit();
                        } else {
                            refused.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    done.countDown();
                }
            });
        }
        barrier.await();
        gate.close();
        ShutdownGate.DrainResult result = gate.awaitDrained(Duration.ofSeconds(10), Clock.system());
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(result.abandoned()).isZero();
        assertThat(admitted.get() + refused.get()).isEqualTo((long) threads * rounds);
        assertThat(finished.get()).isEqualTo(admitted.get());
        assertThat(gate.inFlight()).isZero();
    }
}
