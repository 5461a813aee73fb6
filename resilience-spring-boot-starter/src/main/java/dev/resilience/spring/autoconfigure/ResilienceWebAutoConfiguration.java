package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.web.ResilienceProblemDetailsAdvice;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.http.ProblemDetail;

/**
 * RFC 9457 problem details for rejections that reach a controller, in web applications with Spring MVC or Spring
 * WebFlux (both pick up {@code @RestControllerAdvice} beans the same way), unless {@code resilience.web.problem-details.enabled=false}: one advice per rejection class, so that each can
 * step back for an application handler of its own (see {@link ResilienceProblemDetailsAdvice}).
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(ProblemDetail.class)
@Conditional(ResilienceWebAutoConfiguration.OnSpringMvcOrWebFlux.class)
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

    /** A servlet application with Spring MVC, or a reactive one with Spring WebFlux: the stacks that apply advices. */
    static final class OnSpringMvcOrWebFlux extends AnyNestedCondition {

        OnSpringMvcOrWebFlux() {
            super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
        @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
        static final class SpringMvc {
        }

        @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
        @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
        static final class WebFlux {
        }
    }
}
