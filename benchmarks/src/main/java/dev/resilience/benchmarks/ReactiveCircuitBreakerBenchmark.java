package dev.resilience.benchmarks;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.reactor.ReactorResilience;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A CLOSED breaker around a {@code Mono}, subscribed once per operation with {@link ValueSubscriber}: ours
 * ({@code ReactorResilience.of(breaker)}) against Resilience4j's reactor operator
 * ({@code transformDeferred(CircuitBreakerOperator.of(breaker))}, as its documentation and its Spring aspect apply
 * it). Both breakers are each library's defaults. Each protection acts per subscription; {@code *AssembledOnce}
 * subscribes to one protected {@code Mono} built at set-up (the subscription alone), {@code *AssembledPerCall}
 * protects the source again for every subscription (what an annotated method returning a new {@code Mono} pays).
 * {@code unprotected} subscribes to the source itself: the floor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class ReactiveCircuitBreakerBenchmark {

    /** Completes with a cached Integer when subscribed, on the subscribing thread. */
    private static final Mono<Integer> SOURCE = Mono.just(Work.RESULT);

    private ReactorResilience ours;
    private CircuitBreakerOperator<Integer> resilience4j;
    private Mono<Integer> oursOnce;
    private Mono<Integer> resilience4jOnce;

    /** Builds both breakers (defaults) and both protected {@code Mono}s, and checks each protects subscriptions. */
    @Setup
    public void setUp() {
        CircuitBreaker oursBreaker = CircuitBreaker.ofDefaults("cb");
        io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4jBreaker =
                io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("cb");
        ours = ReactorResilience.of(oursBreaker);
        resilience4j = CircuitBreakerOperator.of(resilience4jBreaker);
        oursOnce = SOURCE.transform(ours::mono);
        resilience4jOnce = SOURCE.transformDeferred(resilience4j);
        LongSupplier oursSuccesses = () -> oursBreaker.metrics().totalSuccessfulCalls();
        LongSupplier resilience4jSuccesses = () -> resilience4jBreaker.getMetrics().getNumberOfSuccessfulCalls();
        ReactiveChecks.recordsOneSuccessPerSubscription("ours", () -> oursOnce, oursSuccesses);
        ReactiveChecks.recordsOneSuccessPerSubscription("ours", () -> ours.mono(SOURCE), oursSuccesses);
        ReactiveChecks.recordsOneSuccessPerSubscription("Resilience4j", () -> resilience4jOnce, resilience4jSuccesses);
        ReactiveChecks.recordsOneSuccessPerSubscription("Resilience4j", () -> SOURCE.transformDeferred(resilience4j),
                resilience4jSuccesses);
    }

    /** @return 42 from the source, unprotected */
    @Benchmark
    public Integer unprotected() {
        return ValueSubscriber.valueOf(SOURCE);
    }

    /** @return 42 through our breaker, the protected {@code Mono} built once */
    @Benchmark
    public Integer oursAssembledOnce() {
        return ValueSubscriber.valueOf(oursOnce);
    }

    /** @return 42 through Resilience4j's breaker operator, the protected {@code Mono} built once */
    @Benchmark
    public Integer resilience4jAssembledOnce() {
        return ValueSubscriber.valueOf(resilience4jOnce);
    }

    /** @return 42 through our breaker, protecting the source anew */
    @Benchmark
    public Integer oursAssembledPerCall() {
        return ValueSubscriber.valueOf(ours.mono(SOURCE));
    }

    /** @return 42 through Resilience4j's breaker operator, protecting the source anew */
    @Benchmark
    public Integer resilience4jAssembledPerCall() {
        return ValueSubscriber.valueOf(SOURCE.transformDeferred(resilience4j));
    }
}
