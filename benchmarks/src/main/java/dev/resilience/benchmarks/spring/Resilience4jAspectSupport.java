package dev.resilience.benchmarks.spring;

import io.github.resilience4j.spring6.fallback.FallbackDecorators;
import io.github.resilience4j.spring6.fallback.FallbackExecutor;
import io.github.resilience4j.spring6.spelresolver.DefaultSpelResolver;
import io.github.resilience4j.spring6.spelresolver.SpelResolver;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.expression.spel.standard.SpelExpressionParser;

import java.util.List;

/** What every Resilience4j aspect wired by hand needs besides its registry: a SpEL resolver and a fallback executor. */
@Configuration(proxyBeanMethods = false)
public class Resilience4jAspectSupport {

    /**
     * @param beanFactory resolves bean references in names
     * @return the SpEL resolver the aspects need for names
     */
    @Bean
    public SpelResolver spelResolver(BeanFactory beanFactory) {
        return new DefaultSpelResolver(new SpelExpressionParser(), new DefaultParameterNameDiscoverer(), beanFactory);
    }

    /**
     * @param spelResolver the resolver above
     * @return the fallback executor (no fallbacks are declared)
     */
    @Bean
    public FallbackExecutor fallbackExecutor(SpelResolver spelResolver) {
        return new FallbackExecutor(spelResolver, new FallbackDecorators(List.of()));
    }
}
