package dev.resilience.spring.dashboard;

import dev.resilience.core.ManualClock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/** A servlet web application with actuator and the starter, on a manual clock. */
@SpringBootConfiguration
@EnableAutoConfiguration
class DashboardTestApplication {

    @Bean
    ManualClock resilienceClock() {
        return new ManualClock();
    }
}
