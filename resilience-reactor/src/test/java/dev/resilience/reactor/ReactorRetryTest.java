package dev.resilience.reactor;

import dev.resilience.core.ManualClock;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.retry.RetryMetrics;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReactorRetryTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofMillis(100);

    private final ManualClock clock = new ManualClock();
    private final Probe probe = new Probe();

    private Retry retry(RetryConfig.Builder config) {
        return Retry.of("inventory", config.build(), clock);
    }

    private Retry retry() {
        return retry(RetryConfig.builder().maxAttempts(3).waitDuration(WAIT));
    }

    @Test
    void assemblyWithoutSubscriptionRecordsNothing() {
        Retry retry = retry();

        probe.mono(() -> Mono.error(new IOException("down"))).transform(ReactorResilience.of(retry)::mono);

        assertThat(probe.subscriptions()).isZero();
        assertThat(retry.metrics()).isEqualTo(new RetryMetrics(0, 0, 0, 0, 0));
    }

    @Test
    void resubscribesExactlyMaxAttemptsTimesOnTheClockThenFailsWithTheLastError() {
        Retry retry = retry();
        AtomicInteger attempt = new AtomicInteger();

        StepVerifier.create(probe.mono(() -> Mono.<String>error(new IOException("attempt " + attempt.incrementAndGet())))
                        .transform(ReactorResilience.of(retry)::mono))
                .then(() -> assertThat(probe.subscriptions()).isEqualTo(1))
                .then(() -> clock.advance(WAIT.minusNanos(1)))
                .then(() -> assertThat(probe.subscriptions()).isEqualTo(1)) // the backoff waits on the clock
                .then(() -> clock.advance(Duration.ofNanos(1)))
                .then(() -> assertThat(probe.subscriptions()).isEqualTo(2))
                .then(() -> clock.advance(WAIT))
                .expectErrorMessage("attempt 3").verify(VERIFY);

        clock.advance(Duration.ofSeconds(10));
        assertThat(probe.subscriptions()).isEqualTo(3);
        assertThat(retry.metrics().failedCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void succeedsOnALaterAttempt() {
        Retry retry = retry();
        AtomicInteger attempt = new AtomicInteger();

        StepVerifier.create(probe.mono(() -> attempt.incrementAndGet() < 2 ? Mono.error(new IOException("down")) : Mono.just("stock"))
                        .transform(ReactorResilience.of(retry)::mono))
                .then(() -> clock.advance(WAIT))
                .expectNext("stock").expectComplete().verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(2);
        assertThat(retry.metrics().successfulCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void failureThatIsNotRetriedEndsAtOnce() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).waitDuration(WAIT).ignoreExceptions(IllegalArgumentException.class));

        StepVerifier.create(probe.mono(() -> Mono.error(new IllegalArgumentException("bad sku")))
                        .transform(ReactorResilience.of(retry)::mono))
                .expectError(IllegalArgumentException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(1);
        assertThat(retry.metrics().failedCallsWithIgnoredError()).isEqualTo(1);
    }

    @Test
    void resultMatchingTheRetryPredicateIsRetriedAndTheLastResultEmitted() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(2).waitDuration(WAIT).retryOnResult("pending"::equals));

        StepVerifier.create(probe.mono(() -> Mono.just("pending")).transform(ReactorResilience.of(retry)::mono))
                .then(() -> clock.advance(WAIT))
                .expectNext("pending").expectComplete().verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(2);
    }

    @Test
    void noRetryStartsPastMaxDuration() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofSeconds(1)).maxDuration(Duration.ofMillis(1500)));

        StepVerifier.create(probe.mono(() -> Mono.error(new IOException("down"))).transform(ReactorResilience.of(retry)::mono))
                .then(() -> clock.advance(Duration.ofSeconds(1)))
                .expectError(IOException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(2);
    }

    @Test
    void spentBudgetEndsTheCallWithItsLastFailure() {
        Retry retry = retry(RetryConfig.builder().maxAttempts(3).waitDuration(WAIT)
                .budgetEnabled(true).budgetRatio(0).budgetMinRetriesPerSecond(0));

        StepVerifier.create(probe.mono(() -> Mono.error(new IOException("down"))).transform(ReactorResilience.of(retry)::mono))
                .expectError(IOException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(1);
        assertThat(retry.metrics().retriesRefusedByBudget()).isEqualTo(1);
    }

    @Test
    void cancelDuringTheBackoffStopsRetrying() {
        Retry retry = retry();

        probe.mono(() -> Mono.error(new IOException("down"))).transform(ReactorResilience.of(retry)::mono).subscribe(v -> { }, e -> { })
                .dispose();
        clock.advance(Duration.ofSeconds(10));

        assertThat(probe.subscriptions()).isEqualTo(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void cancelDuringALaterAttemptCancelsThatAttempt() {
        Retry retry = retry();
        AtomicInteger attempt = new AtomicInteger();

        StepVerifier.create(probe.mono(() -> attempt.incrementAndGet() < 2 ? Mono.error(new IOException("down")) : Mono.never())
                        .transform(ReactorResilience.of(retry)::mono))
                .then(() -> clock.advance(WAIT))
                .then(() -> assertThat(probe.subscriptions()).isEqualTo(2))
                .thenCancel().verify(VERIFY);

        assertThat(probe.cancellations()).isEqualTo(1);
    }

    @Test
    void stopRetryingEndsAWaitingBackoffWithTheLastFailure() {
        Retry retry = retry();

        StepVerifier.create(probe.mono(() -> Mono.error(new IOException("down"))).transform(ReactorResilience.of(retry)::mono))
                .then(retry::stopRetrying)
                .expectError(IOException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(1);
    }

    @Test
    void fluxIsResubscribedFromItsStart() {
        Retry retry = retry();
        AtomicInteger attempt = new AtomicInteger();

        StepVerifier.create(probe.flux(() -> attempt.incrementAndGet() < 2
                                ? Flux.just(1, 2).concatWith(Mono.error(new IOException("reset")))
                                : Flux.just(1, 2, 3))
                        .transform(ReactorResilience.of(retry)::flux))
                .expectNext(1, 2)
                .then(() -> clock.advance(WAIT))
                .expectNext(1, 2, 3).expectComplete().verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(2);
    }

    @Test
    void fluxDemandCarriesOverToTheNextAttempt() {
        Retry retry = retry();
        AtomicInteger attempt = new AtomicInteger();
        AtomicInteger secondAttemptRequested = new AtomicInteger();

        StepVerifier.create(Flux.defer(() -> attempt.incrementAndGet() < 2
                                ? Flux.just(1, 2).concatWith(Mono.error(new IOException("reset")))
                                : Flux.range(1, 10).doOnRequest(n -> secondAttemptRequested.addAndGet((int) Math.min(n, 1000))))
                        .transform(ReactorResilience.of(retry)::flux), 3)
                .expectNext(1, 2)
                .then(() -> clock.advance(WAIT))
                .expectNext(1)
                .then(() -> assertThat(secondAttemptRequested.get()).isEqualTo(1))
                .thenRequest(2)
                .expectNext(2, 3)
                .thenCancel().verify(VERIFY);

        assertThat(secondAttemptRequested.get()).isEqualTo(3);
    }
}
