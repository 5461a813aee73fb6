package dev.resilience.spring.web;

import dev.resilience.core.ManualClock;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** A servlet web application whose controller calls annotated methods, on a manual clock. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(RejectingController.class)
class WebTestApplication {

    @Bean
    ManualClock resilienceClock() {
        return new ManualClock();
    }

    @Bean
    RejectingService rejectingService() {
        return new RejectingService();
    }
}
