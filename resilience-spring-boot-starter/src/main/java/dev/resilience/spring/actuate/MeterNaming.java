package dev.resilience.spring.actuate;

/**
 * Which meter names and tags {@link ResilienceMeterBinder} registers ({@code resilience.metrics.naming}).
 */
public enum MeterNaming {

    /** Our own meters: {@code resilience.<kind>.*}, tagged {@code name} (and {@code outcome}, {@code state}, ...). */
    RESILIENCE,

    /**
     * Resilience4j 2.x's meters: {@code resilience4j.<kind>.*} with Resilience4j's tag keys and values (e.g.
     * {@code resilience4j.circuitbreaker.calls} tagged {@code kind=successful}), so that dashboards and alerts built
     * for Resilience4j keep working after a switch. Our meters that Resilience4j has no equivalent for keep their
     * {@code resilience.*} names.
     */
    RESILIENCE4J
}
