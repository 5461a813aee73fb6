package dev.resilience.reactor;

import dev.resilience.core.ManualClock;
import dev.resilience.ratelimiter.RateLimiter;
import dev.resilience.ratelimiter.RateLimiterConfig;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReactorRateLimiterTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final Duration PERIOD = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();
    private final Probe probe = new Probe();

    private RateLimiter limiter(Duration timeout) {
        return RateLimiter.of("partner", RateLimiterConfig.builder()
                .limitForPeriod(1).limitRefreshPeriod(PERIOD).timeoutDuration(timeout).build(), clock);
    }

    @Test
    void assemblyTakesNoPermit() {
        RateLimiter limiter = limiter(Duration.ZERO);

        probe.mono(() -> Mono.just("a")).transform(ReactorResilience.of(limiter)::mono);

        assertThat(limiter.metrics().availablePermissions()).isEqualTo(1);
        assertThat(limiter.metrics().permittedCalls()).isZero();
    }

    @Test
    void subscriptionWithinTheLimitRunsAtOnce() {
        RateLimiter limiter = limiter(Duration.ZERO);

        StepVerifier.create(Flux.just(1, 2).transform(ReactorResilience.of(limiter)::flux))
                .expectNext(1, 2).expectComplete().verify(VERIFY);

        assertThat(limiter.metrics().permittedCalls()).isEqualTo(1);
    }

    @Test
    void subscriptionOverTheLimitIsRejectedWithAnErrorSignalWithoutSubscribing() {
        RateLimiter limiter = limiter(Duration.ZERO);
        ReactorResilience protect = ReactorResilience.of(limiter);
        StepVerifier.create(Mono.just("first").transform(protect::mono)).expectNext("first").expectComplete().verify(VERIFY);

        StepVerifier.create(probe.mono(() -> Mono.just("second")).transform(protect::mono))
                .expectError(RequestNotPermittedException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isZero();
        assertThat(limiter.metrics().rejectedCalls()).isEqualTo(1);
    }

    @Test
    void subscriptionWaitsForTheNextPeriodOnTheClockWithoutBlocking() {
        RateLimiter limiter = limiter(Duration.ofSeconds(2));
        ReactorResilience protect = ReactorResilience.of(limiter);
        StepVerifier.create(Mono.just("first").transform(protect::mono)).expectNext("first").expectComplete().verify(VERIFY);

        StepVerifier.create(probe.mono(() -> Mono.just("second")).transform(protect::mono))
                .then(() -> assertThat(probe.subscriptions()).isZero())
                .then(() -> clock.advance(PERIOD.minusNanos(1)))
                .then(() -> assertThat(probe.subscriptions()).isZero())
                .then(() -> clock.advance(Duration.ofNanos(1)))
                .expectNext("second").expectComplete().verify(VERIFY);

        assertThat(probe.subscriptions()).isEqualTo(1);
    }

    @Test
    void cancelWhileWaitingNeverSubscribes() {
        RateLimiter limiter = limiter(Duration.ofSeconds(2));
        ReactorResilience protect = ReactorResilience.of(limiter);
        StepVerifier.create(Mono.just("first").transform(protect::mono)).expectNext("first").expectComplete().verify(VERIFY);

        probe.mono(() -> Mono.just("second")).transform(protect::mono).subscribe().dispose();
        clock.advance(PERIOD.multipliedBy(3));

        assertThat(probe.subscriptions()).isZero();
    }
}
