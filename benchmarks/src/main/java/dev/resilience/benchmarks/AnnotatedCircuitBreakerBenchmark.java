package dev.resilience.benchmarks;

import dev.resilience.benchmarks.spring.OurAnnotatedService;
import dev.resilience.benchmarks.spring.OurSpringContext;
import dev.resilience.benchmarks.spring.PlainService;
import dev.resilience.benchmarks.spring.Resilience4jAnnotatedService;
import dev.resilience.benchmarks.spring.Resilience4jSpringContext;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import org.aopalliance.intercept.MethodInterceptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@code @CircuitBreaker} method called through a real Spring context: ours (the starter's interceptor), Resilience4j's
 * Spring aspect, and two floors: a CGLIB proxy whose interceptor only proceeds, and the same proxy whose interceptor
 * calls our core breaker directly (what the starter could at best cost).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class AnnotatedCircuitBreakerBenchmark {

    private ConfigurableApplicationContext ourContext;
    private ConfigurableApplicationContext resilience4jContext;
    private OurAnnotatedService ours;
    private Resilience4jAnnotatedService resilience4j;
    private PlainService passThrough;
    private PlainService coreBreakerProxy;

    /** Starts both contexts and builds the two hand-made proxies. */
    @Setup
    public void setUp() {
        ourContext = OurSpringContext.start();
        ours = ourContext.getBean(OurAnnotatedService.class);
        resilience4jContext = Resilience4jSpringContext.start();
        resilience4j = resilience4jContext.getBean(Resilience4jAnnotatedService.class);
        passThrough = proxy(invocation -> invocation.proceed());
        CircuitBreaker breaker = CircuitBreaker.of("cb", CircuitBreakerConfig.builder()
                .slidingWindowSize(Configs.COUNT_WINDOW)
                .minimumNumberOfCalls(Configs.COUNT_WINDOW)
                .slowCallDurationThreshold(Duration.ZERO)
                .build());
        coreBreakerProxy = proxy(invocation -> breaker.call(invocation::proceed));
    }

    private static PlainService proxy(MethodInterceptor interceptor) {
        ProxyFactory factory = new ProxyFactory(new PlainService());
        factory.setProxyTargetClass(true);
        factory.addAdvice(interceptor);
        return (PlainService) factory.getProxy();
    }

    /** Closes both contexts. */
    @TearDown
    public void tearDown() {
        ourContext.close();
        resilience4jContext.close();
    }

    /** @return 42 through our starter's interceptor */
    @Benchmark
    public Integer ours() {
        return ours.breaker();
    }

    /** @return 42 through Resilience4j's Spring aspect */
    @Benchmark
    public Integer resilience4jAspect() {
        return resilience4j.breaker();
    }

    /** @return 42 through a proxy that only proceeds */
    @Benchmark
    public Integer passThroughProxy() {
        return passThrough.call();
    }

    /** @return 42 through a proxy that calls our core breaker */
    @Benchmark
    public Integer proxyWithCoreBreaker() {
        return coreBreakerProxy.call();
    }
}
