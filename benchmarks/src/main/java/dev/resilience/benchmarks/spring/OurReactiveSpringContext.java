package dev.resilience.benchmarks.spring;

import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.reactive.ResilienceReactiveAutoConfiguration;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real, non-web Spring Boot application with our starter's auto-configuration, its reactive support (which protects
 * methods returning a {@code Mono} per subscription) and one annotated bean. The breaker "cb" is left at its defaults
 * (COUNT_BASED 100, minimum 100 calls, slow calls at 60 s), as Resilience4j's is in
 * {@link Resilience4jReactiveSpringContext}.
 */
public final class OurReactiveSpringContext {

    private OurReactiveSpringContext() {
    }

    /** @return a started context; the caller closes it */
    public static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=warn")
                .run();
    }

    /** The application: our auto-configuration with its reactive part, and the annotated bean. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ResilienceAutoConfiguration.class, ResilienceReactiveAutoConfiguration.class})
    public static class App {

        /** @return the annotated bean the starter proxies */
        @Bean
        public OurReactiveService ourReactiveService() {
            return new OurReactiveService();
        }
    }
}
