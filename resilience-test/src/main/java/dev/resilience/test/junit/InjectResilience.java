package dev.resilience.test.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link ResilienceCoreTest} class that the {@link ResilienceExtension} sets before each test,
 * to the same object a parameter of that type would get: a {@link dev.resilience.core.ManualClock} (or
 * {@link dev.resilience.core.Clock}), a {@link dev.resilience.test.TestRegistries}, one
 * {@link dev.resilience.core.Registry} of it (e.g. {@code Registry<CircuitBreaker, CircuitBreakerConfig>}), or the
 * {@link dev.resilience.test.RecordedEvents}. The field must be neither static nor final: its value is new for each
 * test.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InjectResilience {
}
