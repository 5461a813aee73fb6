package dev.resilience.virtual;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Clock;
import dev.resilience.core.internal.ContinuationThreads;
import dev.resilience.core.internal.VirtualThreads;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many virtual threads through every policy at once, some of them waiting (a full bulkhead, a spent rate limiter, a
 * retry backoff, a timeout), recorded with JFR: no {@code jdk.VirtualThreadPinned} event may have a frame of ours,
 * i.e. nothing in the engine holds a monitor (or a native frame) while a virtual thread parks.
 *
 * <p>The JVM also pins a virtual thread that loads a class, or waits for another thread to initialise one, whoever's
 * class it is: a one-time cost of first use, not a property of our code. So every path runs once before the recording
 * starts, and a pin while loading or initialising a class is not counted.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadPinningTest {

    private static final int THREADS = 200;
    private static final int CALLS_PER_THREAD = 10;

    @Test
    void aLoadOnVirtualThreadsThroughEveryPolicyPinsNoCarrierInOurCode(@TempDir Path dir) throws Exception {
        Clock clock = Clock.system();
        CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder().slidingWindowSize(50)
                .minimumNumberOfCalls(50).build(), clock);
        Retry retry = Retry.of("shipping", RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(1))
                .asyncExecutor(ContinuationThreads.virtual()).build(), clock);
        Bulkhead bulkhead = Bulkhead.of("stock", BulkheadConfig.builder().maxConcurrentCalls(8)
                .maxWaitDuration(Duration.ofSeconds(10)).build(), clock);
        RateLimiter limiter = RateLimiter.of("orders", RateLimiterConfig.builder().limitForPeriod(500)
                .limitRefreshPeriod(Duration.ofMillis(50)).timeoutDuration(Duration.ofSeconds(10)).build(), clock,
                ContinuationThreads.virtual());
        Timeout timeout = Timeout.of("pricing", TimeoutConfig.builder().timeoutDuration(Duration.ofMillis(5)).build(),
                clock, ContinuationThreads.virtual());
        ThreadPoolBulkhead pool = ThreadPoolBulkhead.of("quotes", ThreadPoolBulkheadConfig.builder()
                .coreThreadPoolSize(16).maxThreadPoolSize(16).queueCapacity(THREADS * CALLS_PER_THREAD)
                .virtualThreads(true).build(), clock);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger timedOut = new AtomicInteger();
        Path file = dir.resolve("pinning.jfr");

        // Warm-up on this (platform) thread: each path once (a retried call and a timed-out one, then neither).
        runOneOfEach(0, 0, breaker, retry, bulkhead, limiter, timeout, pool, new AtomicInteger(), new AtomicInteger());
        runOneOfEach(1, 0, breaker, retry, bulkhead, limiter, timeout, pool, new AtomicInteger(), new AtomicInteger());
        warmUpTheBulkheadsWaitingPath(bulkhead);

        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.enable("jdk.VirtualThreadStart");
            recording.start();

            ThreadFactory virtual = VirtualThreads.factory("load");
            CountDownLatch done = new CountDownLatch(THREADS);
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                virtual.newThread(() -> {
                    try {
                        for (int i = 0; i < CALLS_PER_THREAD; i++) {
                            runOneOfEach(thread, i, breaker, retry, bulkhead, limiter, timeout, pool, completed, timedOut);
                        }
                    } finally {
                        done.countDown();
                    }
                }).start();
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).as("load finished").isTrue();
            recording.stop();
            recording.dump(file);
        } finally {
            pool.shutdown();
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<String> pinnedInOurCode = new ArrayList<>();
        long virtualThreadsStarted = 0;
        for (RecordedEvent event : events) {
            String type = event.getEventType().getName();
            if (type.equals("jdk.VirtualThreadStart")) {
                virtualThreadsStarted++;
            } else if (type.equals("jdk.VirtualThreadPinned") && hasFrameOfOurs(event) && !classLoadingOrInit(event)) {
                pinnedInOurCode.add(event.toString()); // every field: the reason (Java 24+), the thread, the stack
            }
        }
        assertThat(completed.get()).isEqualTo(THREADS * CALLS_PER_THREAD);
        assertThat(timedOut.get()).as("the timeouts fired").isPositive();
        assertThat(virtualThreadsStarted).as("the recording saw the virtual threads").isGreaterThanOrEqualTo(THREADS);
        assertThat(pinnedInOurCode).isEmpty();
    }

    private static void runOneOfEach(int thread, int i, CircuitBreaker breaker, Retry retry, Bulkhead bulkhead,
                                     RateLimiter limiter, Timeout timeout, ThreadPoolBulkhead pool,
                                     AtomicInteger completed, AtomicInteger timedOut) {
        try {
            AtomicInteger attempts = new AtomicInteger();
            String value = retry.call(() -> breaker.call(() -> limiter.call(() -> bulkhead.call(() -> {
                Thread.sleep(1); // park while holding a bulkhead permit, so others wait for one
                if ((thread + i) % 7 == 0 && attempts.incrementAndGet() == 1) {
                    throw new IOException("transient"); // one retry, after a 1 ms backoff
                }
                return "ok";
            }))));
            assertThat(value).isEqualTo("ok");
            try {
                timeout.call(() -> {
                    Thread.sleep((thread + i) % 5 == 0 ? 1_000 : 0);
                    return "in time";
                });
            } catch (TimeoutExceededException expected) {
                timedOut.incrementAndGet();
            }
            CompletableFuture<String> async = retry.<String>callAsync(() -> pool.callAsync(
                    () -> CompletableFuture.completedFuture("pooled"))).toCompletableFuture();
            assertThat(async.get(30, TimeUnit.SECONDS)).isEqualTo("pooled");
            completed.incrementAndGet();
        } catch (Throwable unexpected) {
            throw new AssertionError("call " + i + " of thread " + thread + " failed", unexpected);
        }
    }

    /**
     * A call that waits for a bulkhead permit runs code the other warm-up calls do not (the waiter, its timer's lambda).
     * Its first run links that code; linking waits on a VM lock, and on Java 24+ a virtual thread contending for it
     * is recorded as pinned ("Contended monitor enter"): once per JVM, not in steady state, and not what this test is
     * about. So one call waits here first, on this platform thread's helper, before the recording starts.
     */
    private static void warmUpTheBulkheadsWaitingPath(Bulkhead bulkhead) throws Exception {
        List<Bulkhead.Permit> held = new ArrayList<>();
        Bulkhead.Permit permit;
        while ((permit = bulkhead.tryAcquire()) != null) {
            held.add(permit);
        }
        Thread waiter = new Thread(() -> bulkhead.call(() -> "waited"), "warm-up-waiter");
        waiter.start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> bulkhead.metrics().waitingCalls() == 1);
        } finally {
            held.forEach(Bulkhead.Permit::release);
        }
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(waiter.isAlive()).as("the warm-up call ended").isFalse();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(bulkhead.config().maxConcurrentCalls());
    }

    /** @return whether the JVM pinned the thread to load or initialise a class (see the class comment) */
    private static boolean classLoadingOrInit(RecordedEvent event) {
        // Read as Object: getValue is generic, and String.valueOf would otherwise take it for a char[].
        Object reason = event.hasField("pinnedReason") ? event.getValue("pinnedReason") : null;
        if (reason != null && reason.toString().contains("initialization")) {
            return true; // Java 24+: "Waited for initialization of ... by another thread", "Native or VM frame ..."
        }
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (type.equals("java.lang.ClassLoader") || type.startsWith("jdk.internal.loader.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasFrameOfOurs(RecordedEvent event) {
        if (event.getStackTrace() == null) {
            return false;
        }
        for (RecordedFrame frame : event.getStackTrace().getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("dev.resilience.") && !type.startsWith("dev.resilience.virtual.")) {
                return true;
            }
        }
        return false;
    }
}
