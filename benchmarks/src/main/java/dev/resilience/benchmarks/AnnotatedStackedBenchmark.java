package dev.resilience.benchmarks;

import dev.resilience.benchmarks.spring.OurAnnotatedService;
import dev.resilience.benchmarks.spring.OurSpringContext;
import dev.resilience.benchmarks.spring.Resilience4jAnnotatedService;
import dev.resilience.benchmarks.spring.Resilience4jSpringContext;
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
 * A method carrying {@code @Retry @CircuitBreaker @RateLimited @Bulkhead} (Resilience4j: its four equivalents) called
 * through a real Spring context. {@code @Timeout} is left out: it moves the call to another thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class AnnotatedStackedBenchmark {

    private ConfigurableApplicationContext ourContext;
    private ConfigurableApplicationContext resilience4jContext;
    private OurAnnotatedService ours;
    private Resilience4jAnnotatedService resilience4j;

    /** Starts both contexts. */
    @Setup
    public void setUp() {
        ourContext = OurSpringContext.start();
        ours = ourContext.getBean(OurAnnotatedService.class);
        resilience4jContext = Resilience4jSpringContext.start();
        resilience4j = resilience4jContext.getBean(Resilience4jAnnotatedService.class);
    }

    /** Closes both contexts. */
    @TearDown
    public void tearDown() {
        ourContext.close();
        resilience4jContext.close();
    }

    /** @return 42 through our four stacked annotations */
    @Benchmark
    public Integer ours() {
        return ours.stacked();
    }

    /** @return 42 through Resilience4j's four stacked aspects */
    @Benchmark
    public Integer resilience4jAspect() {
        return resilience4j.stacked();
    }
}
