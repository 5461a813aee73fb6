package dev.resilience.reactor;

import dev.resilience.Resilience;
import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.circuitbreaker.CircuitBreakerMetrics;
import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReactorCompositionTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofMillis(100);

    private final ManualClock clock = new ManualClock();
    private final Probe probe = new Probe();

    private Retry retry() {
        return Retry.of("inventory", RetryConfig.builder().maxAttempts(3).waitDuration(WAIT).asyncExecutor(Runnable::run).build(), clock);
    }

    private CircuitBreaker breaker() {
        return CircuitBreaker.of("inventory", CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(10).build(), clock);
    }

    private Bulkhead bulkhead(int limit, Duration maxWait) {
        return Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(limit).maxWaitDuration(maxWait).build(), clock);
    }

    private Timeout timeout(Duration limit) {
        return Timeout.of("inventory", TimeoutConfig.builder().timeoutDuration(limit).build(), clock, Runnable::run);
    }

    @Test
    void breakerInsideRetryRecordsEveryAttempt() {
        CircuitBreaker breaker = breaker();

        StepVerifier.create(probe.mono(() -> Mono.error(new IOException("down"))).transform(ReactorResilience.of(retry(), breaker)::mono))
                .then(() -> clock.advance(WAIT))
                .then(() -> clock.advance(WAIT))
                .expectError(IOException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(3);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(3);
    }

    @Test
    void breakerOutsideRetryRecordsTheWholeCallOnce() {
        CircuitBreaker breaker = breaker();

        StepVerifier.create(probe.mono(() -> Mono.error(new IOException("down"))).transform(ReactorResilience.of(breaker, retry())::mono))
                .then(() -> clock.advance(WAIT))
                .then(() -> clock.advance(WAIT))
                .expectError(IOException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(3);
        assertThat(breaker.metrics().failedCalls()).isEqualTo(1);
    }

    @Test
    void compositionListAndPoliciesGiveTheSameChainOrder() {
        CircuitBreaker breaker = breaker();
        Retry retry = retry();
        List<ReactorResilience> forms = List.of(ReactorResilience.of(retry, breaker),
                ReactorResilience.of(List.of(retry, breaker)), ReactorResilience.of(Resilience.compose(retry, breaker)));

        for (ReactorResilience protect : forms) {
            StepVerifier.create(Mono.error(new IOException("down")).transform(protect::mono))
                    .then(() -> clock.advance(WAIT))
                    .then(() -> clock.advance(WAIT))
                    .expectError(IOException.class).verify(VERIFY);
        }

        assertThat(breaker.metrics().failedCalls()).isEqualTo(9);
    }

    @Test
    void bulkheadInsideRetryHoldsNoPermitDuringTheBackoff() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        AtomicInteger attempt = new AtomicInteger();

        StepVerifier.create(Mono.defer(() -> attempt.incrementAndGet() < 2 ? Mono.error(new IOException("down")) : Mono.just("stock"))
                        .transform(ReactorResilience.of(retry(), bulkhead)::mono))
                .then(() -> assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1))
                .then(() -> clock.advance(WAIT))
                .expectNext("stock").expectComplete().verify(VERIFY);

        assertThat(bulkhead.metrics().permittedCalls()).isEqualTo(2);
    }

    @Test
    void timeoutInsideRetryTimesEachAttempt() {
        Timeout timeout = timeout(Duration.ofSeconds(1));
        AtomicInteger attempt = new AtomicInteger();

        StepVerifier.create(probe.mono(() -> attempt.incrementAndGet() < 2 ? Mono.never() : Mono.just("stock"))
                        .transform(ReactorResilience.of(retry(), timeout)::mono))
                .then(() -> clock.advance(Duration.ofSeconds(1)))
                .then(() -> clock.advance(WAIT))
                .expectNext("stock").expectComplete().verify(VERIFY);

        assertThat(probe.cancellations()).isEqualTo(1);
        assertThat(timeout.metrics().timedOutCalls()).isEqualTo(1);
        assertThat(timeout.metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void cancellingAFullPipelineReleasesEverything() {
        CircuitBreaker breaker = breaker();
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        RateLimiter limiter = RateLimiter.of("inventory", RateLimiterConfig.builder().limitForPeriod(10).build(), clock);
        int timersBefore = clock.pendingTasks();

        probe.mono(Mono::never).transform(ReactorResilience.of(retry(), breaker, limiter, timeout(Duration.ofSeconds(1)), bulkhead)::mono)
                .subscribe().dispose();

        assertThat(probe.cancellations()).isEqualTo(1);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        assertThat(breaker.metrics().bufferedCalls()).isZero();
        assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);
        assertThat(clock.pendingTasks()).isLessThanOrEqualTo(Math.max(timersBefore, 1)); // at most the limiter's period timer
    }

    @Test
    void noPoliciesPassSubscriptionsStraightThrough() {
        ReactorResilience none = ReactorResilience.of();

        StepVerifier.create(Flux.just(1, 2).transform(none::flux)).expectNext(1, 2).expectComplete().verify(VERIFY);
        StepVerifier.create(Mono.just(1).transform(none::mono)).expectNext(1).expectComplete().verify(VERIFY);
    }

    @Test
    void publisherKeepsAMonoAMono() {
        ReactorResilience protect = ReactorResilience.of(breaker());

        Publisher<String> fromMono = protect.publisher(Mono.just("a"));
        Publisher<String> fromFlux = protect.publisher(Flux.just("a"));
        Mono<String> viaOperator = Mono.just("a").transformDeferred(protect.operator());

        assertThat(fromMono).isInstanceOf(Mono.class);
        assertThat(fromFlux).isInstanceOf(Flux.class);
        StepVerifier.create(viaOperator).expectNext("a").expectComplete().verify(VERIFY);
    }

    @Test
    void monoWorksUnderAFusingOperatorOnAnotherThread() {
        ReactorResilience protect = ReactorResilience.of(breaker());
        Scheduler other = Schedulers.newSingle("other");
        try {
            StepVerifier.create(Mono.just("a").transform(protect::mono).publishOn(other))
                    .expectNext("a").expectComplete().verify(VERIFY);
            StepVerifier.create(Mono.<String>empty().transform(protect::mono).publishOn(other))
                    .expectComplete().verify(VERIFY);
        } finally {
            other.dispose();
        }
    }

    /**
     * Many threads subscribe through retry, breaker, timeout and bulkhead at once, each then completing its source or
     * cancelling: every completion is one success, every cancellation one ignored outcome, and every permit and timer
     * comes back.
     */
    @Test
    void concurrentSubscriptionsThroughAFullPipelineAreEachRecordedOnce() throws Exception {
        int threads = 8;
        int perThread = 500;
        int limit = 4;
        CircuitBreaker breaker = breaker();
        Bulkhead bulkhead = bulkhead(limit, Duration.ofDays(1)); // the manual clock never times a waiter out
        Timeout timeout = timeout(Duration.ofDays(1));
        ReactorResilience protect = ReactorResilience.of(retry(), breaker, timeout, bulkhead);
        SubscriptionRace race = new SubscriptionRace().run(threads, perThread, reply -> reply.transform(protect::mono));

        int half = threads * perThread / 2;
        CircuitBreakerMetrics metrics = breaker.metrics();
        assertThat(race.values.get()).isEqualTo(half);
        assertThat(race.errors.get()).isZero();
        assertThat(metrics.totalSuccessfulCalls()).isEqualTo(half);
        assertThat(metrics.totalIgnoredCalls()).isEqualTo(half);
        assertThat(metrics.totalFailedCalls()).isZero();
        assertThat(timeout.metrics().successfulCalls()).isEqualTo(half);
        // (A cancelled call reaches the timeout as its inner stage cancelled, since the core's retry does not pass
        // its own cancellation on to the attempt in flight: the timeout counts those among its failed calls.)
        assertThat(timeout.metrics().timedOutCalls()).isZero();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(limit);
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
        assertThat(clock.pendingTasks()).isZero();
    }
}
