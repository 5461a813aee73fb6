package dev.resilience.reactor;

import dev.resilience.core.ManualClock;
import dev.resilience.retry.Retry;
import dev.resilience.retry.RetryConfig;
import dev.resilience.timeout.Timeout;
import dev.resilience.timeout.TimeoutConfig;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** What is particular to a protected {@code Flux}: demand, and elements racing a terminal signal from a timer. */
class ReactorFluxTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();

    private Timeout timeout(boolean cancelRunningFuture) {
        return Timeout.of("stream", TimeoutConfig.builder().timeoutDuration(Duration.ofSeconds(1))
                .cancelRunningFuture(cancelRunningFuture).build(), clock);
    }

    @Test
    void deliversNoMoreThanRequested() {
        AtomicInteger requestedFromSource = new AtomicInteger();

        StepVerifier.create(Flux.range(1, 10).doOnRequest(n -> requestedFromSource.addAndGet((int) n))
                        .transform(ReactorResilience.of(timeout(true))::flux), 0)
                .expectSubscription()
                .then(() -> assertThat(requestedFromSource.get()).isZero())
                .thenRequest(2)
                .expectNext(1, 2)
                .thenRequest(3)
                .expectNext(3, 4, 5)
                .thenCancel().verify(VERIFY);

        assertThat(requestedFromSource.get()).isEqualTo(5);
    }

    /**
     * Elements are emitted on one thread while the timeout fires on another: the subscriber is never called
     * concurrently, sees no element after its terminal signal, and gets exactly one terminal signal.
     */
    @Test
    void elementsRacingATimeoutAreSerializedWithItsErrorSignal() throws Exception {
        Scheduler emitter = Schedulers.newSingle("emitter");
        try {
            for (int round = 0; round < 200; round++) {
                SerialChecker checker = new SerialChecker();
                Flux.range(1, 1_000_000).subscribeOn(emitter).transform(ReactorResilience.of(timeout(true))::flux).subscribe(checker);
                assertThat(checker.firstElement.await(5, TimeUnit.SECONDS)).isTrue();
                clock.advance(Duration.ofSeconds(1)); // fires the timeout on this thread, while elements flow on the other
                assertThat(checker.terminated.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(checker.violations).isEmpty();
                assertThat(checker.terminals.get()).isEqualTo(1);
            }
        } finally {
            emitter.dispose();
        }
    }

    @Test
    void retryAfterATimeoutThatDoesNotCancelCancelsThePreviousAttemptAndDeliversOnlyTheNewOne() {
        Probe probe = new Probe();
        List<Sinks.Many<Integer>> attempts = new ArrayList<>();
        Retry retry = Retry.of("stream", RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(100)).build(), clock);

        StepVerifier.create(probe.flux(() -> {
                    Sinks.Many<Integer> attempt = Sinks.many().unicast().onBackpressureBuffer();
                    attempts.add(attempt);
                    return attempt.asFlux();
                }).transform(ReactorResilience.of(retry, timeout(false))::flux))
                .then(() -> clock.advance(Duration.ofSeconds(1)))
                .then(() -> assertThat(probe.cancellations()).isZero()) // the timeout leaves it running
                .then(() -> clock.advance(Duration.ofMillis(100)))
                .then(() -> assertThat(probe.cancellations()).isEqualTo(1))
                .then(() -> assertThat(attempts.get(0).tryEmitNext(-1)).isEqualTo(Sinks.EmitResult.FAIL_CANCELLED))
                .then(() -> attempts.get(1).tryEmitNext(1))
                .then(() -> attempts.get(1).tryEmitComplete())
                .expectNext(1).expectComplete().verify(VERIFY);
    }

    @Test
    void timedOutFluxEndsWithTimeoutExceeded() {
        StepVerifier.create(Flux.never().transform(ReactorResilience.of(timeout(true))::flux))
                .then(() -> clock.advance(Duration.ofSeconds(1)))
                .expectError(TimeoutExceededException.class).verify(VERIFY);
    }

    /** Records any breach of the subscriber rules it can observe. */
    private static final class SerialChecker implements CoreSubscriber<Integer> {

        final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger terminals = new AtomicInteger();
        final CountDownLatch terminated = new CountDownLatch(1);
        final CountDownLatch firstElement = new CountDownLatch(1);

        @Override
        public void onSubscribe(Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Integer value) {
            enter("onNext");
            if (terminals.get() != 0) {
                violations.add("onNext after the terminal signal");
            }
            firstElement.countDown();
            for (int i = 0; i < 200; i++) {
                Thread.onSpinWait(); // widens the window in which the timeout's signal can meet this one
            }
            inside.decrementAndGet();
        }

        @Override
        public void onError(Throwable t) {
            enter("onError");
            if (!(t instanceof TimeoutExceededException)) {
                violations.add("unexpected " + t);
            }
            terminate();
        }

        @Override
        public void onComplete() {
            enter("onComplete");
            terminate();
        }

        private void enter(String signal) {
            if (inside.incrementAndGet() != 1) {
                violations.add(signal + " while another signal was being delivered");
            }
        }

        private void terminate() {
            terminals.incrementAndGet();
            inside.decrementAndGet();
            terminated.countDown();
        }
    }
}
