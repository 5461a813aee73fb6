package dev.resilience.benchmarks.spring;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerAspect;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerConfigurationProperties;
import io.github.resilience4j.spring6.circuitbreaker.configure.ReactorCircuitBreakerAspectExt;
import io.github.resilience4j.spring6.fallback.FallbackExecutor;
import io.github.resilience4j.spring6.spelresolver.SpelResolver;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Import;

import java.util.List;

/**
 * A Spring context with Resilience4j's Spring 6 circuit breaker aspect advising one bean whose method returns a
 * {@code Mono}. The aspect protects a reactive return value only through an extension: its
 * {@link ReactorCircuitBreakerAspectExt} applies {@code transformDeferred(CircuitBreakerOperator.of(breaker))}
 * ({@code resilience4j-reactor}) to the returned {@code Mono}; without it the aspect would only time the method's
 * call, which returns before anything is subscribed. Resilience4j's own auto-configuration registers that extension
 * when Reactor is on the class path; it is wired by hand here, as in {@link Resilience4jSpringContext}. The breaker
 * is Resilience4j's default (COUNT_BASED 100, minimum 100 calls, slow calls at 60 s).
 */
public final class Resilience4jReactiveSpringContext {

    private Resilience4jReactiveSpringContext() {
    }

    /** @return a started context; the caller closes it */
    public static AnnotationConfigApplicationContext start() {
        return new AnnotationConfigApplicationContext(App.class);
    }

    /** The aspect with its Reactor extension, a default registry and the annotated bean. */
    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy(proxyTargetClass = true)
    @Import(Resilience4jAspectSupport.class)
    public static class App {

        /** @return the annotated bean the aspect advises */
        @Bean
        public Resilience4jReactiveService resilience4jReactiveService() {
            return new Resilience4jReactiveService();
        }

        /** @return the registry of default breakers (a bean, so the benchmark can check its breaker records calls) */
        @Bean
        public CircuitBreakerRegistry circuitBreakerRegistry() {
            return CircuitBreakerRegistry.ofDefaults();
        }

        /** @return Resilience4j's circuit breaker aspect with its Reactor extension */
        @Bean
        public CircuitBreakerAspect circuitBreakerAspect(CircuitBreakerRegistry registry, FallbackExecutor fallbackExecutor,
                                                         SpelResolver spelResolver) {
            return new CircuitBreakerAspect(new CircuitBreakerConfigurationProperties(), registry,
                    List.of(new ReactorCircuitBreakerAspectExt()), fallbackExecutor, spelResolver);
        }
    }
}
