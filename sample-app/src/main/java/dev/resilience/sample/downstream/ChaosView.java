package dev.resilience.sample.downstream;

/**
 * What {@code /chaos} answers for one downstream: its settings now and how many calls it is serving.
 *
 * @param failureRate share of calls answered with HTTP 500
 * @param latencyMs delay added before each answer
 * @param hang whether calls hang until healed
 * @param failNext transient failures still to come
 * @param inFlight calls the downstream is serving at this moment
 */
public record ChaosView(double failureRate, int latencyMs, boolean hang, int failNext, int inFlight) {
}
