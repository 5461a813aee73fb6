package dev.resilience.spring.migration;

import java.util.Locale;
import java.util.Map;

/**
 * Resilience4j's property names (as its Spring Boot 3 starter binds them, {@code resilience4j-framework-common}'s
 * {@code Common*ConfigurationProperties.InstanceProperties}) and what each becomes here. Names are compared in Spring's
 * uniform form (lower case, letters and digits only), so {@code slidingWindowSize}, {@code sliding-window-size} and
 * {@code sliding_window_size} are the same key, as they are to Spring's binder.
 */
final class Resilience4jKeys {

    /** Resilience4j's top-level prefix. */
    static final String PREFIX = "resilience4j";

    /** The kinds whose configs and instances translate, by Resilience4j's name (uniform form), to ours. */
    static final Map<String, String> KINDS = Map.of(
            "circuitbreaker", "circuitbreaker",
            "retry", "retry",
            "bulkhead", "bulkhead",
            "threadpoolbulkhead", "thread-pool-bulkhead",
            "ratelimiter", "ratelimiter",
            "timelimiter", "timeout");

    /** Settings that keep their name (in kebab case), per our kind. */
    static final Map<String, Map<String, String>> SAME = Map.of(
            "circuitbreaker", kebab("baseConfig", "slidingWindowType", "slidingWindowSize", "minimumNumberOfCalls",
                    "failureRateThreshold", "slowCallRateThreshold", "slowCallDurationThreshold",
                    "waitDurationInOpenState", "permittedNumberOfCallsInHalfOpenState", "maxWaitDurationInHalfOpenState",
                    "automaticTransitionFromOpenToHalfOpenEnabled", "recordExceptions", "ignoreExceptions",
                    "allowHealthIndicatorToFail"),
            "retry", kebab("baseConfig", "maxAttempts", "waitDuration", "retryExceptions", "ignoreExceptions",
                    "failAfterMaxAttempts"),
            "bulkhead", kebab("baseConfig", "maxConcurrentCalls", "maxWaitDuration"),
            "thread-pool-bulkhead", kebab("baseConfig", "coreThreadPoolSize", "maxThreadPoolSize", "queueCapacity",
                    "keepAliveDuration"),
            "ratelimiter", kebab("baseConfig", "limitForPeriod", "limitRefreshPeriod", "timeoutDuration"),
            "timeout", kebab("baseConfig", "timeoutDuration", "cancelRunningFuture"));

    // The backoff switches and values, folded together (see Resilience4jTranslation): their names in uniform form.
    static final String ENABLE_EXPONENTIAL_BACKOFF = "enableexponentialbackoff";
    static final String EXPONENTIAL_BACKOFF_MULTIPLIER = "exponentialbackoffmultiplier";
    static final String EXPONENTIAL_MAX_WAIT_DURATION = "exponentialmaxwaitduration";
    static final String EXPONENTIAL_MAX_WAIT_DURATION_IN_OPEN_STATE = "exponentialmaxwaitdurationinopenstate";
    static final String ENABLE_RANDOMIZED_WAIT = "enablerandomizedwait";
    static final String RANDOMIZED_WAIT_FACTOR = "randomizedwaitfactor";
    static final String WAIT_DURATION = "waitduration";
    static final String WAIT_DURATION_IN_OPEN_STATE = "waitdurationinopenstate";
    static final String BASE_CONFIG = "baseconfig";

    /** Resilience4j's defaults where its switches turn a backoff on without a value ({@code IntervalFunction}). */
    static final String DEFAULT_MULTIPLIER = "1.5";
    static final String DEFAULT_RANDOMIZATION_FACTOR = "0.5";

    private static final String PER_INSTANCE_BUFFER = "no per-instance buffer: resilience.events.buffer-size sets the "
            + "recent-events buffer of every instance";
    private static final String STACK_TRACE = "rejections never fill in a stack trace (they are expected, frequent "
            + "and cheap); there is no switch";
    private static final String PREDICATE_CLASS = "no class-name predicates in properties: set the predicate on the "
            + "builder in a %s bean";
    private static final String HEALTH = "no per-instance switch: every circuit breaker is in the circuitBreakers "
            + "health contributor (management.health.circuitbreakers.enabled turns it off)";

    /** Settings with no equivalent, per our kind (uniform form), and why. */
    static final Map<String, Map<String, String>> NO_EQUIVALENT = Map.of(
            "circuitbreaker", Map.ofEntries(
                    Map.entry("registerhealthindicator", HEALTH),
                    Map.entry("eventconsumerbuffersize", PER_INSTANCE_BUFFER),
                    Map.entry("writablestacktraceenabled", STACK_TRACE),
                    Map.entry("recordfailurepredicate", PREDICATE_CLASS.formatted("CircuitBreakerConfigCustomizer")),
                    Map.entry("recordresultpredicate", PREDICATE_CLASS.formatted("CircuitBreakerConfigCustomizer")),
                    Map.entry("ignoreexceptionpredicate", PREDICATE_CLASS.formatted("CircuitBreakerConfigCustomizer")),
                    Map.entry("initialstate", "a breaker always starts CLOSED; move it with the circuitbreakers "
                            + "actuator endpoint or CircuitBreaker.transitionTo...State()"),
                    Map.entry("transitiontostateafterwaitduration", "a breaker that stays HALF_OPEN longer than "
                            + "max-wait-duration-in-half-open-state always goes back to OPEN"),
                    Map.entry(ENABLE_RANDOMIZED_WAIT, "no random open-state wait: the wait grows with "
                            + "wait-duration-in-open-state-multiplier only"),
                    Map.entry(RANDOMIZED_WAIT_FACTOR, "no random open-state wait: the wait grows with "
                            + "wait-duration-in-open-state-multiplier only"),
                    Map.entry("ignoreclassbindingexceptions", "an exception class that does not exist always fails "
                            + "start-up")),
            "retry", Map.of(
                    "eventconsumerbuffersize", PER_INSTANCE_BUFFER,
                    "intervalbifunction", "not one-to-one: interval-function names a bean of type "
                            + "dev.resilience.retry.IntervalBiFunction, not a class",
                    "retryexceptionpredicate", PREDICATE_CLASS.formatted("RetryConfigCustomizer"),
                    "resultpredicate", PREDICATE_CLASS.formatted("RetryConfigCustomizer"),
                    "consumeresultbeforeretryattempt", "no hook before a retry of a result: listen to the retry's "
                            + "events (RETRY carries the attempt)"),
            "bulkhead", Map.of(
                    "eventconsumerbuffersize", PER_INSTANCE_BUFFER,
                    "writablestacktraceenabled", STACK_TRACE),
            "thread-pool-bulkhead", Map.of(
                    "eventconsumerbuffersize", PER_INSTANCE_BUFFER,
                    "writablestacktraceenabled", STACK_TRACE,
                    "contextpropagators", "context is carried by a dev.resilience.spi.ContextCarrier (Micrometer "
                            + "context propagation when on the class path), not by propagator classes"),
            "ratelimiter", Map.of(
                    "eventconsumerbuffersize", PER_INSTANCE_BUFFER,
                    "writablestacktraceenabled", STACK_TRACE,
                    "registerhealthindicator", "rate limiters have no health contributor: a limit reached is not ill "
                            + "health",
                    "allowhealthindicatortofail", "rate limiters have no health contributor",
                    "subscribeforevents", "events are always published, at no cost while nobody listens"),
            "timeout", Map.of(
                    "eventconsumerbuffersize", PER_INSTANCE_BUFFER));

    /** Reasons for keys outside {@code configs}/{@code instances}, by their second element (uniform form). */
    static final Map<String, String> OTHER_SECTIONS = Map.of(
            "metrics", "meters are bound by the starter when Micrometer is present; there are no per-kind metrics "
                    + "switches",
            "tags", "no registry tags: tag meters with Micrometer's management.metrics.tags.*",
            "scheduled", "there is no separate scheduler pool: timers run on the engine's clock",
            "thread", "no thread-type switch: a thread-pool bulkhead uses platform threads",
            "micrometer", "no @Timer aspect: observe calls with Micrometer directly");

    /** Why a name this table does not know is not read. */
    static final String UNKNOWN = "not a Resilience4j setting this check knows";

    private Resilience4jKeys() {
    }

    /**
     * @param kind our kind
     * @param setting a Resilience4j setting in uniform form
     * @return why it has no equivalent, or null when it has one or is unknown
     */
    static String noEquivalent(String kind, String setting) {
        return NO_EQUIVALENT.getOrDefault(kind, Map.of()).get(setting);
    }

    /**
     * @param section a Resilience4j name outside configs and instances (uniform form): a kind we do not have
     *     ({@code scheduled}) or a kind's own section ({@code metrics}, {@code circuitBreakerAspectOrder})
     * @return why it has no equivalent
     */
    static String otherSection(String section) {
        if (section.endsWith("aspectorder")) {
            return "no aspect order per kind: resilience.order lists the kinds, outermost first";
        }
        return OTHER_SECTIONS.getOrDefault(section, UNKNOWN);
    }

    /** @return the uniform form of a name: lower case, letters and digits only */
    static String uniform(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString();
    }

    private static Map<String, String> kebab(String... camelCaseNames) {
        Map.Entry<String, String>[] entries = newEntries(camelCaseNames.length);
        for (int i = 0; i < camelCaseNames.length; i++) {
            String camel = camelCaseNames[i];
            entries[i] = Map.entry(uniform(camel), camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
        }
        return Map.ofEntries(entries);
    }

    @SuppressWarnings("unchecked")
    private static Map.Entry<String, String>[] newEntries(int length) {
        return new Map.Entry[length];
    }
}
