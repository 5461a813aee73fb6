package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.web.ResilienceProblemDetailsAdvice;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ControllerAdvice;

/**
 * RFC 9457 problem details for rejections that reach a controller, in web applications with Spring MVC or Spring
 * WebFlux (both pick up {@code @RestControllerAdvice} beans the same way), unless {@code resilience.web.problem-details.enabled=false}: one advice per rejection class, so that each can
 * step back for an application handler of its own (see {@link ResilienceProblemDetailsAdvice}).
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnClass({ControllerAdvice.class, ProblemDetail.class})
@ConditionalOnProperty(prefix = "resilience.web.problem-details", name = "enabled", havingValue = "true", matchIfMissing = true)
public final class ResilienceWebAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ResilienceProblemDetailsAdvice.CircuitBreakerOpen resilienceCircuitBreakerOpenProblemDetails() {
        return new ResilienceProblemDetailsAdvice.CircuitBreakerOpen();
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceProblemDetailsAdvice.BulkheadFull resilienceBulkheadFullProblemDetails() {
        return new ResilienceProblemDetailsAdvice.BulkheadFull();
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceProblemDetailsAdvice.ShuttingDown resilienceShuttingDownProblemDetails() {
        return new ResilienceProblemDetailsAdvice.ShuttingDown();
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceProblemDetailsAdvice.RateLimitExceeded resilienceRateLimitExceededProblemDetails() {
        return new ResilienceProblemDetailsAdvice.RateLimitExceeded();
    }

    @Bean
    @ConditionalOnMissingBean
    ResilienceProblemDetailsAdvice.TimeoutExceeded resilienceTimeoutExceededProblemDetails() {
        return new ResilienceProblemDetailsAdvice.TimeoutExceeded();
    }
}
