package dev.resilience.hop;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.ThreadPoolBulkhead;
import dev.resilience.bulkhead.ThreadPoolBulkheadConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.spi.ContextCarrier;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.resilience.hop.ThreadLocalCarrier.USER;
import static dev.resilience.hop.ThreadLocalCarrier.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A policy given a {@link ContextCarrier} continues a call on another thread (or on another caller's stack) in the
 * context its own caller had, and leaves the continuing thread's own context as it was.
 */
class CallerContextAcrossHopsTest {

    private final ManualClock clock = new ManualClock();
    private final ContextCarrier carrier = new ThreadLocalCarrier();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private ThreadPoolBulkhead pool;

    @AfterEach
    void cleanUp() {
        USER.remove();
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    @Test
    void aQueuedBulkheadCallRunsInItsOwnCallersContextOnTheThreadWhoseReleaseGrantedIt() {
        Bulkhead bulkhead = Bulkhead.of("bulkhead", BulkheadConfig.builder().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ofSeconds(10)).build(), clock, carrier);
        CompletableFuture<String> holderWork = new CompletableFuture<>();
        as("alice", () -> bulkhead.callAsync(() -> holderWork));
        CompletableFuture<String> queued = as("bob", () -> bulkhead.<String>callAsync(() -> {
            seen.add(USER.get());
            return CompletableFuture.completedFuture("bob's");
        })).toCompletableFuture();

        as("alice", () -> holderWork.complete("released"));

        assertThat(seen).containsExactly("bob");
        assertThat(queued).isCompletedWithValue("bob's");
    }

    @Test
    void theReleasingThreadKeepsItsOwnContextAfterRunningAQueuedCall() {
        Bulkhead bulkhead = Bulkhead.of("bulkhead", BulkheadConfig.builder().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ofSeconds(10)).build(), clock, carrier);
        CompletableFuture<String> holderWork = new CompletableFuture<>();
        bulkhead.callAsync(() -> holderWork);
        as("bob", () -> bulkhead.callAsync(() -> CompletableFuture.completedFuture("bob's")));

        String afterRelease = as("alice", () -> {
            holderWork.complete("released");
            return USER.get();
        });

        assertThat(afterRelease).isEqualTo("alice");
    }

    @Test
    void aRateLimitedCallStartedByTheTimerRunsInItsCallersContext() {
        RateLimiter limiter = RateLimiter.of("limiter", RateLimiterConfig.builder().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(5)).build(), clock, Runnable::run, carrier);
        limiter.acquirePermission();
        as("carol", () -> limiter.callAsync(() -> {
            seen.add(USER.get());
            return CompletableFuture.completedFuture("ran");
        }));

        clock.advance(Duration.ofSeconds(1));

        assertThat(seen).containsExactly("carol");
        assertThat(USER.get()).isNull(); // the timer's (here: the test thread's) own context is back
    }

    @Test
    void aThreadPoolBulkheadCallRunsInItsCallersContextOnThePoolThread() throws Exception {
        pool = ThreadPoolBulkhead.of("pool", ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(1)
                .maxThreadPoolSize(1).queueCapacity(1).build(), clock, carrier);

        String asyncSeen = as("dave", () -> pool.<String>callAsync(() -> CompletableFuture.completedFuture(USER.get())))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        String syncSeen = as("erin", () -> pool.call(USER::get));
        String leftOnPoolThread = pool.<String>callAsync(() -> CompletableFuture.completedFuture(USER.get()))
                .toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(asyncSeen).isEqualTo("dave");
        assertThat(syncSeen).isEqualTo("erin");
        assertThat(leftOnPoolThread).isNull();
    }

    @Test
    void theDependentsOfATimedOutCallRunInTheCallersContext() {
        Timeout timeout = Timeout.of("timeout", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1)).build(),
                clock, Runnable::run, carrier);
        as("frank", () -> timeout.callAsync(CompletableFuture::new).whenComplete((v, t) -> seen.add(USER.get())));

        clock.advance(Duration.ofSeconds(1));

        assertThat(seen).containsExactly("frank");
    }
}
