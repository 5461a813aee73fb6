package dev.resilience.reactor;

import dev.resilience.bulkhead.Bulkhead;
import dev.resilience.bulkhead.BulkheadConfig;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.bulkhead.BulkheadMetrics;
import dev.resilience.core.AsyncInvoker;
import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class ReactorBulkheadTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final ManualClock clock = new ManualClock();
    private final Probe probe = new Probe();

    private Bulkhead bulkhead(int maxConcurrentCalls, Duration maxWait) {
        return Bulkhead.of("reports", BulkheadConfig.builder()
                .maxConcurrentCalls(maxConcurrentCalls).maxWaitDuration(maxWait).build(), clock);
    }

    @Test
    void assemblyTakesNoPermit() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);

        Mono<String> mono = probe.mono(() -> Mono.just("a")).transform(ReactorResilience.of(bulkhead)::mono);

        assertThat(mono).isNotNull();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        assertThat(probe.subscriptions()).isZero();
    }

    @Test
    void permitIsHeldFromSubscriptionToTheTerminalSignal() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        ReactorResilience protect = ReactorResilience.of(bulkhead);
        Sinks.One<String> first = Sinks.one();

        StepVerifier.create(first.asMono().transform(protect::mono))
                .then(() -> assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero())
                .then(() -> StepVerifier.create(probe.mono(() -> Mono.just("second")).transform(protect::mono))
                        .expectError(BulkheadFullException.class).verify(VERIFY))
                .then(() -> first.tryEmitValue("first"))
                .expectNext("first").expectComplete().verify(VERIFY);

        assertThat(probe.subscriptions()).isZero();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(1);
    }

    @Test
    void fluxHoldsItsPermitUntilItCompletes() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
        Sinks.Many<Integer> stream = Sinks.many().unicast().onBackpressureBuffer();

        StepVerifier.create(stream.asFlux().transform(ReactorResilience.of(bulkhead)::flux))
                .then(() -> stream.tryEmitNext(1))
                .expectNext(1)
                .then(() -> assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero())
                .then(stream::tryEmitComplete)
                .expectComplete().verify(VERIFY);

        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void errorReleasesThePermit() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);

        StepVerifier.create(Mono.error(new IllegalStateException("boom")).transform(ReactorResilience.of(bulkhead)::mono))
                .expectError(IllegalStateException.class).verify(VERIFY);

        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void cancelReleasesThePermitAndCancelsTheSource() {
        Bulkhead bulkhead = bulkhead(1, Duration.ZERO);

        probe.flux(Flux::<String>never).transform(ReactorResilience.of(bulkhead)::flux).subscribe().dispose();

        assertThat(probe.cancellations()).isEqualTo(1);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void waitingSubscriptionIsSubscribedWhenAPermitFreesUpWithoutBlocking() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        ReactorResilience protect = ReactorResilience.of(bulkhead);
        Sinks.One<String> first = Sinks.one();
        Disposable holder = first.asMono().transform(protect::mono).subscribe();

        StepVerifier.create(probe.mono(() -> Mono.just("second")).transform(protect::mono))
                .then(() -> assertThat(probe.subscriptions()).isZero())
                .then(() -> assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(1))
                .then(() -> first.tryEmitValue("first"))
                .expectNext("second").expectComplete().verify(VERIFY);

        assertThat(holder.isDisposed()).isTrue();
        assertThat(probe.subscriptions()).isEqualTo(1);
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void waitingSubscriptionIsRejectedWhenTheWaitRunsOut() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        ReactorResilience protect = ReactorResilience.of(bulkhead);
        Disposable holder = Mono.never().transform(protect::mono).subscribe();

        StepVerifier.create(probe.mono(() -> Mono.just("second")).transform(protect::mono))
                .then(() -> clock.advance(Duration.ofMillis(999)))
                .then(() -> assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(1))
                .then(() -> clock.advance(Duration.ofMillis(1)))
                .expectError(BulkheadFullException.class).verify(VERIFY);

        holder.dispose();
        assertThat(probe.subscriptions()).isZero();
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void cancelWhileWaitingLeavesTheQueueAndNeverSubscribes() {
        Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
        ReactorResilience protect = ReactorResilience.of(bulkhead);
        Sinks.One<String> first = Sinks.one();
        first.asMono().transform(protect::mono).subscribe();

        probe.mono(() -> Mono.just("second")).transform(protect::mono).subscribe().dispose();
        assertThat(bulkhead.metrics().waitingCalls()).isZero();
        first.tryEmitValue("first");

        assertThat(probe.subscriptions()).isZero();
        assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
        assertThat(clock.pendingTasks()).isZero();
    }

    /**
     * Many threads subscribe at once, each then either completing its source or cancelling (while it runs or while it
     * waits in the queue): no more than the limit ever run, every subscription ends, and every permit comes back.
     */
    @Test
    void concurrentSubscriptionsThatCompleteOrCancelReturnEveryPermit() throws Exception {
        int threads = 8;
        int perThread = 500;
        int limit = 3;
        Bulkhead bulkhead = bulkhead(limit, Duration.ofDays(1)); // the manual clock never times a waiter out
        AtomicInteger attempts = new AtomicInteger(); // calls the bulkhead let run (subscribed unless cancelled first)
        ReactorResilience protect = ReactorResilience.of(bulkhead.decorateAsync(call -> {
            attempts.incrementAndGet();
            return AsyncInvoker.DIRECT.invoke(call);
        }));
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        AtomicInteger sourceSubscriptions = new AtomicInteger();
        SubscriptionRace race = new SubscriptionRace().run(threads, perThread, reply -> Mono.defer(() -> {
            sourceSubscriptions.incrementAndGet();
            peak.accumulateAndGet(active.incrementAndGet(), Math::max);
            return reply;
        }).doOnTerminate(active::decrementAndGet).doOnCancel(active::decrementAndGet).transform(protect::mono));

        BulkheadMetrics metrics = bulkhead.metrics();
        assertThat(peak.get()).isLessThanOrEqualTo(limit);
        assertThat(active.get()).isZero();
        assertThat(metrics.availableConcurrentCalls()).isEqualTo(limit);
        assertThat(metrics.waitingCalls()).isZero();
        assertThat(metrics.rejectedCalls()).isZero();
        assertThat(race.errors.get()).isZero();
        // Every completing subscription ran and delivered its value; a cancelled one ran only if it was admitted
        // before it was cancelled (and subscribed to its source only if not cancelled by then).
        assertThat(race.values.get()).isEqualTo(threads * perThread / 2);
        assertThat(metrics.permittedCalls()).isEqualTo(attempts.get());
        assertThat(sourceSubscriptions.get()).isBetween(threads * perThread / 2, attempts.get());
    }
}
