package dev.resilience.benchmarks.spring;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.spring6.bulkhead.configure.BulkheadAspect;
import io.github.resilience4j.spring6.bulkhead.configure.BulkheadConfigurationProperties;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerAspect;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerConfigurationProperties;
import io.github.resilience4j.spring6.fallback.FallbackExecutor;
import io.github.resilience4j.spring6.ratelimiter.configure.RateLimiterAspect;
import io.github.resilience4j.spring6.ratelimiter.configure.RateLimiterConfigurationProperties;
import io.github.resilience4j.spring6.retry.configure.RetryAspect;
import io.github.resilience4j.spring6.retry.configure.RetryConfigurationProperties;
import io.github.resilience4j.spring6.spelresolver.SpelResolver;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.List;

/**
 * A Spring context with Resilience4j's own Spring 6 aspects ({@code resilience4j-spring6}) advising one annotated bean
 * through AspectJ auto-proxying. The aspects are wired by hand because Resilience4j ships no Spring Boot 4
 * auto-configuration; their default aspect order (retry outside breaker outside rate limiter outside bulkhead) is kept.
 */
public final class Resilience4jSpringContext {

    private Resilience4jSpringContext() {
    }

    /** @return a started context; the caller closes it */
    public static AnnotationConfigApplicationContext start() {
        return new AnnotationConfigApplicationContext(App.class);
    }

    /** The aspects, their registries (configured like the core benchmarks) and the annotated bean. */
    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy(proxyTargetClass = true)
    @Import(Resilience4jAspectSupport.class)
    public static class App {

        /** @return the annotated bean the aspects advise */
        @Bean
        public Resilience4jAnnotatedService resilience4jAnnotatedService() {
            return new Resilience4jAnnotatedService();
        }

        /** @return Resilience4j's circuit breaker aspect over a COUNT_BASED 100 breaker */
        @Bean
        public CircuitBreakerAspect circuitBreakerAspect(FallbackExecutor fallbackExecutor, SpelResolver spelResolver) {
            CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                    .slidingWindowSize(100)
                    .minimumNumberOfCalls(100)
                    .build());
            return new CircuitBreakerAspect(new CircuitBreakerConfigurationProperties(), registry, List.of(), fallbackExecutor,
                    spelResolver);
        }

        /** @return Resilience4j's retry aspect (3 attempts, 500 ms) */
        @Bean
        public RetryAspect retryAspect(FallbackExecutor fallbackExecutor, SpelResolver spelResolver) {
            RetryRegistry registry = RetryRegistry.of(RetryConfig.custom()
                    .maxAttempts(3)
                    .waitDuration(Duration.ofMillis(500))
                    .build());
            return new RetryAspect(new RetryConfigurationProperties(), registry, List.of(), fallbackExecutor, spelResolver, null);
        }

        /** @return Resilience4j's rate limiter aspect (10^9 per second, no wait) */
        @Bean
        public RateLimiterAspect rateLimiterAspect(FallbackExecutor fallbackExecutor, SpelResolver spelResolver) {
            RateLimiterRegistry registry = RateLimiterRegistry.of(RateLimiterConfig.custom()
                    .limitForPeriod(1_000_000_000)
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeoutDuration(Duration.ZERO)
                    .build());
            return new RateLimiterAspect(registry, new RateLimiterConfigurationProperties(), List.of(), fallbackExecutor,
                    spelResolver);
        }

        /** @return Resilience4j's bulkhead aspect (25 permits, no wait) */
        @Bean
        public BulkheadAspect bulkheadAspect(FallbackExecutor fallbackExecutor, SpelResolver spelResolver) {
            BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.custom()
                    .maxConcurrentCalls(25)
                    .maxWaitDuration(Duration.ZERO)
                    .build());
            return new BulkheadAspect(new BulkheadConfigurationProperties(), ThreadPoolBulkheadRegistry.ofDefaults(), registry,
                    List.of(), fallbackExecutor, spelResolver);
        }
    }
}
