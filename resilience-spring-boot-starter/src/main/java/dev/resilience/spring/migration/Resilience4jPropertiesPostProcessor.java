package dev.resilience.spring.migration;

import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.OriginLookup;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.util.Map;

/**
 * The start-up check for an application switching over from Resilience4j. When the environment holds
 * {@code resilience4j.*} properties, it logs one warning listing each key with its new {@code resilience.*} name, or
 * why it has none. With {@code resilience.migration.read-resilience4j-properties=true} it also adds the translated
 * properties to the environment, after every other property source, so that binding of {@code resilience.*} sees
 * them and any {@code resilience.*} property set elsewhere wins over its translation.
 *
 * <p>It runs as a Spring Boot {@link EnvironmentPostProcessor} (registered in {@code META-INF/spring.factories}), after
 * the application's configuration files are loaded, so it applies to every application started through
 * {@link SpringApplication}; an {@code ApplicationContextRunner} in a test does not run it. Where an application
 * runs it more than once on one environment, the second run does nothing.
 */
public final class Resilience4jPropertiesPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** The property that turns reading on. */
    public static final String READ_PROPERTY = "resilience.migration.read-resilience4j-properties";

    /** Name of the property source holding the translated properties. */
    public static final String PROPERTY_SOURCE_NAME = "resilience4jPropertiesReadAsResilience";

    private static final String CHECKED = PROPERTY_SOURCE_NAME + ".checked";

    private final Log log;

    /**
     * @param logFactory Boot's logs for the time before logging is set up; the warning is written once it is
     */
    public Resilience4jPropertiesPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(Resilience4jPropertiesPostProcessor.class);
    }

    /** After the configuration files and every other post-processor Boot ships, so that it sees all properties. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(CHECKED)) {
            return;
        }
        Resilience4jTranslation translation = Resilience4jTranslation.of(environment);
        if (translation.isEmpty()) {
            return;
        }
        // An empty marker, so that a second run on this environment neither logs nor adds anything again.
        environment.getPropertySources().addLast(new MapPropertySource(CHECKED, Map.of()));
        boolean read = Binder.get(environment).bind(READ_PROPERTY, Boolean.class).orElse(false);
        if (read && !translation.properties().isEmpty()) {
            environment.getPropertySources().addBefore(CHECKED,
                    new TranslatedPropertySource(translation.properties(), translation.origins()));
        }
        log.warn(translation.describe(read));
    }

    /** The translated properties; each points at the {@code resilience4j.*} line it came from. */
    private static final class TranslatedPropertySource extends MapPropertySource implements OriginLookup<String> {

        private final Map<String, Origin> origins;

        TranslatedPropertySource(Map<String, Object> properties, Map<String, Origin> origins) {
            super(PROPERTY_SOURCE_NAME, Map.copyOf(properties));
            this.origins = Map.copyOf(origins);
        }

        @Override
        public Origin getOrigin(String key) {
            return origins.get(key);
        }
    }
}
