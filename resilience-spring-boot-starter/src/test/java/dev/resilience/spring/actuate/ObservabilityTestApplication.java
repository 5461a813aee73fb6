package dev.resilience.spring.actuate;

import dev.resilience.core.ManualClock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A web application with actuator and the starter, on a manual clock. */
@SpringBootConfiguration
@EnableAutoConfiguration
class ObservabilityTestApplication {

    @Bean
    ManualClock resilienceClock() {
        return new ManualClock();
    }
}
