package dev.resilience.spring.reactive;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimited;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.deadline.Deadline;
import dev.resilience.reactor.ReactorResilience;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.ParallelFlux;
import reactor.core.publisher.Sinks;

import java.util.concurrent.atomic.AtomicInteger;

/** Annotated beans returning reactive types, counting method calls and subscriptions to what they return. */
final class ReactiveServices {

    private ReactiveServices() {
    }

    /** One bean with a method per pattern. */
    static class Patterns {
        /** Calls of the annotated methods (assemblies). */
        final AtomicInteger calls = new AtomicInteger();
        /** Subscriptions to the publishers they returned. */
        final AtomicInteger subscriptions = new AtomicInteger();
        /** Cancellations of the publishers they returned. */
        final AtomicInteger cancellations = new AtomicInteger();
        /** Subscriptions holding a bulkhead permit right now, and the most at once. */
        final AtomicInteger holding = new AtomicInteger();
        final AtomicInteger peakHolding = new AtomicInteger();
        /** Completes every held subscription. */
        final Sinks.Empty<Void> release = Sinks.empty();

        private <T> Mono<T> counted(Mono<T> mono) {
            calls.incrementAndGet();
            return mono.doOnSubscribe(s -> subscriptions.incrementAndGet());
        }

        private <T> Flux<T> counted(Flux<T> flux) {
            calls.incrementAndGet();
            return flux.doOnSubscribe(s -> subscriptions.incrementAndGet());
        }

        @CircuitBreaker(name = "breaker")
        public Mono<String> failing() {
            return counted(Mono.error(new IllegalStateException("down")));
        }

        @CircuitBreaker(name = "breaker")
        public Flux<String> failingFlux() {
            return counted(Flux.just("a", "b").concatWith(Flux.error(new IllegalStateException("down mid-stream"))));
        }

        @Retry(name = "three")
        public Mono<String> retried() {
            return counted(Mono.error(new IllegalStateException("down")));
        }

        @Retry(name = "three")
        public Flux<String> retriedFlux() {
            return counted(Flux.just("a").concatWith(Flux.error(new IllegalStateException("down"))));
        }

        @Retry(name = "three")
        public Mono<String> throwsInsteadOfReturning() {
            calls.incrementAndGet();
            throw new IllegalStateException("thrown at assembly");
        }

        @Timeout(name = "short")
        public Mono<String> never() {
            return counted(Mono.<String>never().doOnCancel(cancellations::incrementAndGet));
        }

        @Timeout(name = "short")
        public Flux<String> neverEndingFlux() {
            return counted(Flux.concat(Flux.just("first"), Flux.never()));
        }

        @Bulkhead(name = "four")
        public Mono<String> held() {
            return counted(release.asMono().then(Mono.just("done"))
                    .doOnSubscribe(s -> peakHolding.accumulateAndGet(holding.incrementAndGet(), Math::max))
                    .doFinally(signal -> holding.decrementAndGet()));
        }

        @RateLimited(name = "two")
        public Mono<String> limited() {
            return counted(Mono.just("permitted"));
        }

        @RateLimited(name = "two")
        public Publisher<String> limitedPublisher() {
            return counted(Flux.just("p"));
        }

        @CircuitBreaker(name = "with-fallback", fallbackMethod = "recover")
        public Mono<String> withFallback(String sku) {
            return counted(Mono.error(new IllegalStateException("down")));
        }

        public Mono<String> recover(String sku, IllegalStateException error) {
            return Mono.just("fallback for " + sku + ": " + error.getMessage());
        }

        @CircuitBreaker(name = "ignoring", fallbackMethod = "recoverAny")
        public Mono<String> ignoredFailure() {
            return counted(Mono.error(new IllegalArgumentException("not found")));
        }

        public Mono<String> recoverAny(Throwable error) {
            return Mono.just("fallback");
        }

        @Retry(name = "three", fallbackMethod = "recoverFlux")
        public Flux<String> fluxWithFallback() {
            return counted(Flux.error(new IllegalStateException("down")));
        }

        public Flux<String> recoverFlux(Throwable error) {
            return Flux.just("x", "y");
        }

        @Bulkhead(name = "four")
        public Mono<String> outer(Patterns self) {
            return counted(release.asMono().then(Mono.defer(self::inner)));
        }

        @Timeout(name = "short")
        public Mono<String> withinTimeout(Patterns self) {
            return counted(Mono.defer(self::remaining));
        }

        /** @return the milliseconds left of the deadline in the subscription's context, or "none" */
        @CircuitBreaker(name = "nested")
        public Mono<String> remaining() {
            return Mono.deferContextual(context -> {
                Deadline deadline = ReactorResilience.deadline(context);
                return Mono.just(deadline == null ? "none" : Long.toString(deadline.remaining().toMillis()));
            });
        }

        @Bulkhead(name = "inner")
        public Mono<String> inner() {
            return counted(Mono.just("inner done"));
        }
    }

    /** THREADPOOL cannot protect a reactive method. */
    static class ThreadPoolOnMono {
        @Bulkhead(name = "pool", type = Bulkhead.Type.THREADPOOL)
        public Mono<String> pooled() {
            return Mono.just("never");
        }
    }

    /**
     * A publisher type Spring's registry knows only through its {@code Publisher} adapter, which cannot give a
     * {@code ParallelFlux} back.
     */
    static class ParallelFluxMethod {
        @CircuitBreaker(name = "breaker")
        public ParallelFlux<String> parallel() {
            return Flux.just("a", "b").parallel();
        }
    }

    /** A fallback must return the method's reactive type. */
    static class PlainValueFallback {
        @CircuitBreaker(name = "plain", fallbackMethod = "plain")
        public Mono<String> guarded() {
            return Mono.just("ok");
        }

        public String plain(Throwable error) {
            return "plain";
        }
    }
}
