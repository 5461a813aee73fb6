package dev.resilience.reactor;

import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ReactorTimeoutTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);
    private static final Duration LIMIT = Duration.ofSeconds(1);

    private final ManualClock clock = new ManualClock();
    private final Probe probe = new Probe();

    private Timeout timeout(boolean cancelRunningFuture) {
        return Timeout.of("inventory", TimeoutConfig.builder()
                .timeoutDuration(LIMIT).cancelRunningFuture(cancelRunningFuture).build(), clock);
    }

    @Test
    void assemblyStartsNoTimer() {
        Timeout timeout = timeout(true);

        probe.mono(Mono::never).transform(ReactorResilience.of(timeout)::mono);

        assertThat(clock.pendingTasks()).isZero();
        assertThat(probe.subscriptions()).isZero();
    }

    @Test
    void monoFinishingInTimeIsUntouchedAndItsTimerCancelled() {
        Timeout timeout = timeout(true);
        Sinks.One<String> reply = Sinks.one();

        StepVerifier.create(reply.asMono().transform(ReactorResilience.of(timeout)::mono))
                .then(() -> clock.advance(LIMIT.minusNanos(1)))
                .then(() -> reply.tryEmitValue("stock"))
                .expectNext("stock").expectComplete().verify(VERIFY);

        assertThat(clock.pendingTasks()).isZero();
        assertThat(timeout.metrics().successfulCalls()).isEqualTo(1);
    }

    @Test
    void monoTooSlowErrorsWithTimeoutExceededAndCancelsTheSource() {
        Timeout timeout = timeout(true);

        StepVerifier.create(probe.mono(Mono::never).transform(ReactorResilience.of(timeout)::mono))
                .then(() -> clock.advance(LIMIT))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TimeoutExceededException.class)
                        .satisfies(t -> assertThat(((TimeoutExceededException) t).timeout()).isEqualTo(LIMIT)))
                .verify(VERIFY);

        assertThat(probe.cancellations()).isEqualTo(1);
        assertThat(timeout.metrics().timedOutCalls()).isEqualTo(1);
    }

    @Test
    void fluxTimeoutBoundsTheWholeSubscriptionAndCancelsTheSource() {
        Timeout timeout = timeout(true);
        Sinks.Many<Integer> stream = Sinks.many().unicast().onBackpressureBuffer();

        StepVerifier.create(probe.flux(stream::asFlux).transform(ReactorResilience.of(timeout)::flux))
                .then(() -> stream.tryEmitNext(1))
                .expectNext(1)
                .then(() -> clock.advance(LIMIT.dividedBy(2)))
                .then(() -> stream.tryEmitNext(2))
                .expectNext(2)
                .then(() -> clock.advance(LIMIT.dividedBy(2)))
                .expectError(TimeoutExceededException.class).verify(VERIFY);

        assertThat(probe.cancellations()).isEqualTo(1);
        assertThat(stream.tryEmitNext(3)).isEqualTo(Sinks.EmitResult.FAIL_CANCELLED);
    }

    @Test
    void timeoutThatDoesNotCancelLeavesTheSourceRunning() {
        Timeout timeout = timeout(false);

        StepVerifier.create(probe.mono(Mono::never).transform(ReactorResilience.of(timeout)::mono))
                .then(() -> clock.advance(LIMIT))
                .expectError(TimeoutExceededException.class).verify(VERIFY);

        assertThat(probe.cancellations()).isZero();
    }

    @Test
    void contextDeadlineShortensTheTimeout() {
        Timeout timeout = timeout(true);

        StepVerifier.create(probe.mono(Mono::never).transform(ReactorResilience.of(timeout)::mono)
                        .contextWrite(ReactorResilience.withDeadline(Duration.ofMillis(300), clock)))
                .then(() -> clock.advance(Duration.ofMillis(300)))
                .expectErrorSatisfies(e -> assertThat(((TimeoutExceededException) e).timeout()).isEqualTo(Duration.ofMillis(300)))
                .verify(VERIFY);
    }

    @Test
    void expiredContextDeadlineFailsWithoutSubscribing() {
        Timeout timeout = timeout(true);
        Deadline expired = Deadline.after(Duration.ZERO, clock);

        StepVerifier.create(probe.mono(() -> Mono.just("a")).transform(ReactorResilience.of(timeout)::mono)
                        .contextWrite(ReactorResilience.withDeadline(expired)))
                .expectError(TimeoutExceededException.class).verify(VERIFY);

        assertThat(probe.subscriptions()).isZero();
    }

    @Test
    void subscribingThreadsDeadlineShortensTheTimeout() {
        Timeout timeout = timeout(true);
        Mono<Object> protectedMono = probe.mono(Mono::never).transform(ReactorResilience.of(timeout)::mono);
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Deadline.afterNanos(Duration.ofMillis(200).toNanos(), clock).run(() -> protectedMono.subscribe(v -> { }, failure::set));
        clock.advance(Duration.ofMillis(200));

        assertThat(failure.get()).isInstanceOf(TimeoutExceededException.class);
        assertThat(((TimeoutExceededException) failure.get()).timeout()).isEqualTo(Duration.ofMillis(200));
    }
}
