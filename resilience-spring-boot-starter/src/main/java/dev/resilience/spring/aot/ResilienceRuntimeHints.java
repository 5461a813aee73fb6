package dev.resilience.spring.aot;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.ratelimiter.RequestNotPermittedException;
import dev.resilience.spring.actuate.BulkheadsEndpoint;
import dev.resilience.spring.actuate.CircuitBreakersEndpoint;
import dev.resilience.spring.actuate.RateLimitersEndpoint;
import dev.resilience.spring.actuate.ResilienceEventsEndpoint;
import dev.resilience.spring.actuate.RetriesEndpoint;
import dev.resilience.spring.actuate.SettingsWrites;
import dev.resilience.spring.actuate.TimeoutsEndpoint;
import dev.resilience.spring.dashboard.DashboardSnapshot;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.util.ClassUtils;

/**
 * What the starter needs reflectively whatever the application: the actuator endpoints' payload records and the live
 * page's snapshot, which Jackson serialises by reflection, the live page's files (class-path resources), and the
 * rejections a {@code retry-rejections} property names (loaded by name).
 */
public final class ResilienceRuntimeHints implements RuntimeHintsRegistrar {

    private static final String ACTUATOR_ENDPOINT = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        for (Class<?> rejection : new Class<?>[] {CallNotPermittedException.class, BulkheadFullException.class,
                RequestNotPermittedException.class, ShutdownInProgressException.class}) {
            hints.reflection().registerType(TypeReference.of(rejection));
        }
        if (ClassUtils.isPresent(ACTUATOR_ENDPOINT, classLoader)) {
            new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(),
                    CircuitBreakersEndpoint.CircuitBreakers.class, CircuitBreakersEndpoint.CircuitBreakerDescriptor.class,
                    RetriesEndpoint.Retries.class, RetriesEndpoint.RetryDescriptor.class,
                    BulkheadsEndpoint.Bulkheads.class, BulkheadsEndpoint.BulkheadDescriptor.class,
                    RateLimitersEndpoint.RateLimiters.class, RateLimitersEndpoint.RateLimiterDescriptor.class,
                    TimeoutsEndpoint.Timeouts.class, TimeoutsEndpoint.TimeoutDescriptor.class,
                    ResilienceEventsEndpoint.Events.class,
                    SettingsWrites.Reconfigured.class, SettingsWrites.Refused.class);
        }
        // The live page: its snapshot is serialised by Jackson, and its files are read from the class path.
        new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), DashboardSnapshot.class);
        hints.resources().registerPattern("META-INF/resilience/dashboard/*");
    }
}
