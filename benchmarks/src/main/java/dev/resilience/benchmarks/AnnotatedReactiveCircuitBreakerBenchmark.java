package dev.resilience.benchmarks;

import dev.resilience.benchmarks.spring.OurReactiveService;
import dev.resilience.benchmarks.spring.OurReactiveSpringContext;
import dev.resilience.benchmarks.spring.Resilience4jReactiveService;
import dev.resilience.benchmarks.spring.Resilience4jReactiveSpringContext;
import dev.resilience.spring.ResilienceRegistries;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.concurrent.TimeUnit;

/**
 * A {@code @CircuitBreaker} method returning a {@code Mono}, called through a real Spring context and its
 * {@code Mono} subscribed once with {@link ValueSubscriber}: ours (the starter's interceptor with its reactive
 * support, {@code ReactorResilience} per subscription) against Resilience4j's Spring aspect with its Reactor extension
 * ({@code transformDeferred(CircuitBreakerOperator.of(breaker))}). Both breakers are each library's defaults. Set-up
 * checks that each side's breaker records nothing when the method is called and one success per subscription, so
 * that both measure a protected subscription.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class AnnotatedReactiveCircuitBreakerBenchmark {

    private ConfigurableApplicationContext ourContext;
    private ConfigurableApplicationContext resilience4jContext;
    private OurReactiveService ours;
    private Resilience4jReactiveService resilience4j;

    /** Starts both contexts and checks that each protects the subscription. */
    @Setup
    public void setUp() {
        ourContext = OurReactiveSpringContext.start();
        ours = ourContext.getBean(OurReactiveService.class);
        resilience4jContext = Resilience4jReactiveSpringContext.start();
        resilience4j = resilience4jContext.getBean(Resilience4jReactiveService.class);
        ReactiveChecks.recordsOneSuccessPerSubscription("ours", ours::breaker, () -> ourContext
                .getBean(ResilienceRegistries.class).circuitBreakers().get("cb").metrics().totalSuccessfulCalls());
        ReactiveChecks.recordsOneSuccessPerSubscription("Resilience4j", resilience4j::breaker, () -> resilience4jContext
                .getBean(CircuitBreakerRegistry.class).circuitBreaker("cb").getMetrics().getNumberOfSuccessfulCalls());
    }

    /** Closes both contexts. */
    @TearDown
    public void tearDown() {
        ourContext.close();
        resilience4jContext.close();
    }

    /** @return 42 through our starter's interceptor and a protected subscription */
    @Benchmark
    public Integer ours() {
        return ValueSubscriber.valueOf(ours.breaker());
    }

    /** @return 42 through Resilience4j's Spring aspect and its reactor operator */
    @Benchmark
    public Integer resilience4jAspect() {
        return ValueSubscriber.valueOf(resilience4j.breaker());
    }
}
