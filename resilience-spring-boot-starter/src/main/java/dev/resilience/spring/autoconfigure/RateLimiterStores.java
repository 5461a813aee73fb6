package dev.resilience.spring.autoconfigure;

import dev.resilience.spi.RateLimiterStore;
import dev.resilience.spring.ResilienceConfigurationException;
import org.springframework.util.ClassUtils;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which rate limiters count their permits in the shared store ({@code store: redis}) and which alone
 * ({@code store: local}, the default). Every {@code store} property is checked when this is built, at start-up: an
 * unknown value, or {@code redis} without a store to use, fails start-up naming the property.
 */
final class RateLimiterStores {

    static final String LOCAL = "local";
    static final String REDIS = "redis";

    private static final String LETTUCE_FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

    private final SettingsResolver.Sources<RateLimiterProperties> sources;
    /** The shared store, or null when no property asks for it. */
    private final RateLimiterStore shared;

    /**
     * @param kind the rate limiters' configs and instances
     * @param lookup the application's store, or null if it has none
     * @param classLoader where to look for Spring Data Redis, to say what is missing
     */
    RateLimiterStores(KindProperties<RateLimiterProperties> kind, Supplier<RateLimiterStore> lookup, ClassLoader classLoader) {
        this.sources = new SettingsResolver.Sources<>("ratelimiter", kind);
        String firstRedis = null;
        firstRedis = check(kind.getConfigs(), "resilience.ratelimiter.configs.", firstRedis);
        firstRedis = check(kind.getInstances(), "resilience.ratelimiter.instances.", firstRedis);
        this.shared = firstRedis == null ? null : require(firstRedis, lookup, classLoader, RateLimiterStore.class);
    }

    /** @return the store counting {@code instanceName}'s permits, or null for a limiter that counts its own */
    RateLimiterStore storeOf(String instanceName) {
        return sources.first(instanceName, RateLimiterProperties::getStore)
                .filter(RateLimiterStores::isRedis)
                .map(v -> shared)
                .orElse(null);
    }

    private static String check(Map<String, RateLimiterProperties> entries, String prefix, String firstRedis) {
        for (Map.Entry<String, RateLimiterProperties> entry : entries.entrySet()) {
            String value = entry.getValue().getStore();
            if (value == null) {
                continue;
            }
            String property = prefix + entry.getKey() + ".store";
            if (isRedis(value)) {
                firstRedis = firstRedis == null ? property : firstRedis;
            } else if (!isLocal(value)) {
                throw ResilienceConfigurationException.invalidProperty(property, value, "'local' or 'redis'");
            }
        }
        return firstRedis;
    }

    static boolean isRedis(String value) {
        return REDIS.equals(value.trim().toLowerCase(Locale.ROOT));
    }

    static boolean isLocal(String value) {
        return LOCAL.equals(value.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * @return the store a property set to {@code redis} needs
     * @throws ResilienceConfigurationException saying what to add when there is none
     */
    static <T> T require(String property, Supplier<T> lookup, ClassLoader classLoader, Class<T> type) {
        T store = lookup.get();
        if (store != null) {
            return store;
        }
        if (!ClassUtils.isPresent(LETTUCE_FACTORY, classLoader)) {
            throw new ResilienceConfigurationException(
                    "Property '" + property + "' is 'redis', but Spring Data Redis with Lettuce is not on the class path.",
                    "Add org.springframework.boot:spring-boot-starter-data-redis to the application's dependencies and "
                            + "point spring.data.redis.* at your Redis, or set '" + property + "' to 'local'.");
        }
        throw new ResilienceConfigurationException(
                "Property '" + property + "' is 'redis', but the application has no Redis store for it: it "
                        + "needs Spring Boot's Lettuce connection factory (a LettuceConnectionFactory bean), or a bean of "
                        + "type " + type.getName() + ".",
                "Use Spring Boot's Redis auto-configuration with Lettuce (the default client of "
                        + "spring-boot-starter-data-redis), define a " + type.getSimpleName()
                        + " bean, or set '" + property + "' to 'local'.");
    }
}
