package dev.resilience.benchmarks;

import dev.resilience.benchmarks.spring.OurAnnotatedService;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.observation.ResilienceObservationAutoConfiguration;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.TimeUnit;

/**
 * What observing annotated methods costs: a {@code @CircuitBreaker} method (and the four-policy stack) in a context
 * without an {@code ObservationRegistry} (the methods are not wrapped at all: should equal
 * {@link AnnotatedCircuitBreakerBenchmark#ours()}), with a registry that has no handler (Micrometer's no-op
 * observations) and with a registry whose one handler does nothing (the observation objects themselves).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class AnnotatedObservationBenchmark {

    private ConfigurableApplicationContext withoutRegistry;
    private ConfigurableApplicationContext noHandler;
    private ConfigurableApplicationContext oneHandler;
    private OurAnnotatedService unobserved;
    private OurAnnotatedService noopObserved;
    private OurAnnotatedService observed;

    /** Starts the three contexts. */
    @Setup
    public void setUp() {
        withoutRegistry = start(WithoutRegistry.class);
        noHandler = start(NoHandler.class);
        oneHandler = start(OneHandler.class);
        unobserved = withoutRegistry.getBean(OurAnnotatedService.class);
        noopObserved = noHandler.getBean(OurAnnotatedService.class);
        observed = oneHandler.getBean(OurAnnotatedService.class);
    }

    private static ConfigurableApplicationContext start(Class<?> app) {
        return new SpringApplicationBuilder(app).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=warn",
                        "resilience.circuitbreaker.instances.cb.slow-call-duration-threshold=0s",
                        "resilience.retry.instances.retry.max-attempts=3",
                        "resilience.ratelimiter.instances.rl.limit-for-period=1000000000",
                        "resilience.ratelimiter.instances.rl.timeout-duration=0s",
                        "resilience.bulkhead.instances.bh.max-wait-duration=0s")
                .run();
    }

    /** Closes the contexts. */
    @TearDown
    public void tearDown() {
        withoutRegistry.close();
        noHandler.close();
        oneHandler.close();
    }

    /** @return 42 through a breaker, no ObservationRegistry in the context */
    @Benchmark
    public Integer breakerWithoutRegistry() {
        return unobserved.breaker();
    }

    /** @return 42 through a breaker, observed by a registry without handlers */
    @Benchmark
    public Integer breakerRegistryWithoutHandlers() {
        return noopObserved.breaker();
    }

    /** @return 42 through a breaker, observed by a registry with one handler that does nothing */
    @Benchmark
    public Integer breakerObserved() {
        return observed.breaker();
    }

    /** @return 42 through the four-policy stack (a retry: one child observation per attempt), observed */
    @Benchmark
    public Integer stackedObserved() {
        return observed.stacked();
    }

    /** @return 42 through the four-policy stack, no ObservationRegistry in the context */
    @Benchmark
    public Integer stackedWithoutRegistry() {
        return unobserved.stacked();
    }

    /** Our auto-configuration and the annotated bean; no ObservationRegistry. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ResilienceAutoConfiguration.class, ResilienceObservationAutoConfiguration.class})
    public static class WithoutRegistry {

        /** @return the annotated bean */
        @Bean
        public OurAnnotatedService ourAnnotatedService() {
            return new OurAnnotatedService();
        }
    }

    /** With a registry that has no handler. */
    @Configuration(proxyBeanMethods = false)
    public static class NoHandler extends WithoutRegistry {

        /** @return a registry without handlers */
        @Bean
        public ObservationRegistry observationRegistry() {
            return ObservationRegistry.create();
        }
    }

    /** With a registry whose one handler does nothing. */
    @Configuration(proxyBeanMethods = false)
    public static class OneHandler extends WithoutRegistry {

        /** @return a registry with one handler that accepts every context and does nothing */
        @Bean
        public ObservationRegistry observationRegistry() {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }
    }
}
