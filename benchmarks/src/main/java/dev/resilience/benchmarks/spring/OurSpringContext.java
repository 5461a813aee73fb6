package dev.resilience.benchmarks.spring;

import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A real, non-web Spring Boot application with our starter's auto-configuration and one annotated bean, configured
 * like the core benchmarks (breaker without slow-call detection, a rate limiter that never waits).
 */
public final class OurSpringContext {

    private OurSpringContext() {
    }

    /** @return a started context; the caller closes it */
    public static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties(
                        "logging.level.root=warn",
                        "resilience.circuitbreaker.instances.cb.sliding-window-size=100",
                        "resilience.circuitbreaker.instances.cb.minimum-number-of-calls=100",
                        "resilience.circuitbreaker.instances.cb.slow-call-duration-threshold=0s",
                        "resilience.retry.instances.retry.max-attempts=3",
                        "resilience.retry.instances.retry.wait-duration=500ms",
                        "resilience.ratelimiter.instances.rl.limit-for-period=1000000000",
                        "resilience.ratelimiter.instances.rl.limit-refresh-period=1s",
                        "resilience.ratelimiter.instances.rl.timeout-duration=0s",
                        "resilience.bulkhead.instances.bh.max-concurrent-calls=25",
                        "resilience.bulkhead.instances.bh.max-wait-duration=0s")
                .run();
    }

    /** The application: our auto-configuration and the annotated bean, nothing else. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    public static class App {

        /** @return the annotated bean the starter proxies */
        @Bean
        public OurAnnotatedService ourAnnotatedService() {
            return new OurAnnotatedService();
        }
    }
}
