package dev.resilience.spring.autoconfigure;

import dev.resilience.spring.ResilienceConfigurationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a {@link ResilienceConfigurationException} as Spring Boot's start-up failure analysis.
 */
public class ResilienceFailureAnalyzer extends AbstractFailureAnalyzer<ResilienceConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ResilienceConfigurationException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
