package dev.resilience.spring.observation;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and keys of the observations of annotated methods: {@value #CALL_NAME} for each protected call and
 * {@value #ATTEMPT_NAME} for each attempt of a method with a retry (a child of its call's).
 *
 * <p>Low-cardinality keys: {@code kind}, {@code name} and {@code outcome}; high-cardinality: {@code attempt} (the attempt
 * number, on attempts). The contextual name (a span's name) is {@code SimpleClassName.method}, with {@code " attempt"}
 * appended for an attempt.
 *
 * <p>Stateless. Replace it globally with a {@code GlobalObservationConvention} in the registry's configuration.
 */
public class ResilienceObservationConvention implements ObservationConvention<ResilienceObservationContext> {

    /** The observation of one protected call. */
    public static final String CALL_NAME = "resilience.call";
    /** The observation of one attempt of a call with a retry. */
    public static final String ATTEMPT_NAME = "resilience.attempt";

    /** The convention of calls. */
    public static final ResilienceObservationConvention CALL = new ResilienceObservationConvention(CALL_NAME);
    /** The convention of attempts. */
    public static final ResilienceObservationConvention ATTEMPT = new ResilienceObservationConvention(ATTEMPT_NAME);

    private final String name;

    /**
     * @param name the observation's name
     */
    protected ResilienceObservationConvention(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getContextualName(ResilienceObservationContext context) {
        return context.isAttempt() ? context.getMethod() + " attempt" : context.getMethod();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ResilienceObservationContext context) {
        return KeyValues.of("kind", context.getKind(), "name", context.getInstanceName(), "outcome", context.getOutcome());
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ResilienceObservationContext context) {
        return context.isAttempt() ? KeyValues.of("attempt", Integer.toString(context.getAttempt())) : KeyValues.empty();
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof ResilienceObservationContext;
    }
}
