package dev.resilience.hop;

import dev.resilience.Resilience;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A call continued on another thread (or on another caller's stack) runs with its own caller's deadline: never the
 * deadline of whichever thread happens to continue it, and never none.
 */
class CallerDeadlineAcrossHopsTest {

    private final ManualClock clock = new ManualClock();

    private Timeout timeout(Duration duration) {
        return Timeout.of("timeout", TimeoutConfig.builder().timeoutDuration(duration).build(), clock, Runnable::run);
    }

    private static Duration remaining() {
        return Deadline.current().map(Deadline::remaining).orElse(null);
    }

    @Test
    void aQueuedBulkheadCallRunsWithItsOwnDeadlineNotWithTheDeadlineOfTheCallerWhoseReleaseGrantedIt() {
        Bulkhead bulkhead = Bulkhead.of("bulkhead", BulkheadConfig.builder().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ofSeconds(10)).build(), clock);
        Resilience.Composition pipeline = Resilience.compose(bulkhead, timeout(Duration.ofSeconds(5)));
        CompletableFuture<String> holderWork = new CompletableFuture<>();
        pipeline.callAsync(() -> holderWork);
        List<Duration> seenByQueued = new CopyOnWriteArrayList<>();
        CompletableFuture<String> queuedWork = new CompletableFuture<>();
        CompletableFuture<String> queued = pipeline.<String>callAsync(() -> {
            seenByQueued.add(remaining());
            return queuedWork;
        }).toCompletableFuture();

        Deadline.runWithin(Duration.ofMillis(50), clock, () -> holderWork.complete("released in a 50 ms scope"));
        clock.advance(Duration.ofMillis(100));

        assertThat(seenByQueued).containsExactly(Duration.ofSeconds(5)); // its own timeout, not the releaser's 50 ms
        assertThat(queued).isNotDone();
        queuedWork.complete("done");
        assertThat(queued).isCompletedWithValue("done");
    }

    @Test
    void aRateLimitedCallStartedByTheTimerRunsWithinItsCallersDeadline() {
        RateLimiter limiter = RateLimiter.of("limiter", RateLimiterConfig.builder().limitForPeriod(1)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(5)).build(), clock, Runnable::run);
        Resilience.Composition pipeline = Resilience.compose(limiter, timeout(Duration.ofSeconds(30)));
        limiter.acquirePermission();
        AtomicInteger started = new AtomicInteger();

        CompletableFuture<String> waited = Deadline.runWithin(Duration.ofMillis(100), clock,
                () -> pipeline.<String>callAsync(() -> {
                    started.incrementAndGet();
                    return CompletableFuture.completedFuture("ran");
                }).toCompletableFuture());
        clock.advance(Duration.ofSeconds(1)); // the permit's period opens, 900 ms after the caller's deadline

        assertThatThrownBy(waited::join).hasCauseInstanceOf(TimeoutExceededException.class);
        assertThat(started).hasValue(0); // not run at 1 s with a fresh 30 s deadline
    }

    @Test
    void theDependentsOfATimedOutCallRunWithTheCallersDeadline() {
        Timeout timeout = timeout(Duration.ofSeconds(1));
        List<Duration> seenByDependent = new CopyOnWriteArrayList<>();

        Deadline.runWithin(Duration.ofSeconds(10), clock, () -> timeout.callAsync(CompletableFuture::new)
                .whenComplete((v, t) -> seenByDependent.add(remaining())));
        clock.advance(Duration.ofSeconds(1));

        assertThat(seenByDependent).containsExactly(Duration.ofSeconds(9));
    }
}
