package dev.resilience.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An order service whose downstreams (inventory, pricing, shipping) are served by the application itself
 * on loopback and can be broken at run time through {@code /chaos}, so that every resilience pattern can
 * be watched working with {@code curl} and the actuator. See {@code sample-app/README.md}.
 */
@SpringBootApplication
public class SampleApplication {

    /**
     * Starts the sample on port 8080 (or {@code --server.port}).
     *
     * @param args Spring Boot command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
