package dev.resilience.core.internal;

import dev.resilience.core.ManualClock;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The one bounded pool that runs user continuations handed off the timer thread. */
class ContinuationThreadsTest {

    @Test
    void aTimedOutCallIsCompletedOnTheSharedContinuationThreadsByDefault() {
        ManualClock clock = new ManualClock();
        Timeout timeout = Timeout.of("pricing", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1)).build(), clock);
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<?> dependent = timeout.callAsync(CompletableFuture<String>::new).toCompletableFuture()
                .whenComplete((v, t) -> ranOn.set(Thread.currentThread()));

        clock.advance(Duration.ofSeconds(1));

        assertThat(dependent).failsWithin(Duration.ofSeconds(10));
        assertThat(ranOn.get().getName()).startsWith("resilience-continuation-");
        assertThat(ranOn.get().isDaemon()).isTrue();
    }

    @Test
    void runsAtMostMaxThreadsAtOnceAndRunsATaskBeyondThemOnTheHandingThread() throws Exception {
        int max = ContinuationThreads.MAX_THREADS;
        CountDownLatch allBusy = new CountDownLatch(max);
        CountDownLatch release = new CountDownLatch(1);
        Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();
        try {
            for (int i = 0; i < max; i++) {
                ContinuationThreads.INSTANCE.execute(() -> {
                    poolThreads.add(Thread.currentThread());
                    allBusy.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(allBusy.await(20, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Thread> beyond = new AtomicReference<>();

            ContinuationThreads.INSTANCE.execute(() -> beyond.set(Thread.currentThread()));

            assertThat(poolThreads).hasSize(max);
            assertThat(beyond.get()).isSameAs(Thread.currentThread());
        } finally {
            release.countDown();
            // The released threads take a moment to poll for work again; until one does, a task handed over runs on
            // the handing thread, which another test of the shared pool would see.
            await().atMost(Duration.ofSeconds(20)).until(ContinuationThreadsTest::aPoolThreadTakesATask);
        }
    }

    private static boolean aPoolThreadTakesATask() {
        Thread self = Thread.currentThread();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        ContinuationThreads.INSTANCE.execute(() -> ranOn.set(Thread.currentThread()));
        return ranOn.get() != self;
    }
}
