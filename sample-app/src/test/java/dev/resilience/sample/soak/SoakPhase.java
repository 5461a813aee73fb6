package dev.resilience.sample.soak;

import java.util.Map;

/**
 * One step of the soak's chaos schedule: while it lasts the downstreams misbehave as {@code chaos} says, and every
 * downstream it does not name behaves.
 *
 * @param name what the phase does, as printed in the summary
 * @param chaos the body of {@code POST /chaos/{downstream}} by downstream name
 */
record SoakPhase(String name, Map<String, String> chaos) {

    /**
     * @param name what the phase does
     * @return a phase in which every downstream behaves
     */
    static SoakPhase healthy(String name) {
        return new SoakPhase(name, Map.of());
    }

    /**
     * @param name what the phase does
     * @param downstream the one downstream that misbehaves
     * @param settings its chaos settings as JSON
     * @return the phase
     */
    static SoakPhase breaking(String name, String downstream, String settings) {
        return new SoakPhase(name, Map.of(downstream, settings));
    }
}
