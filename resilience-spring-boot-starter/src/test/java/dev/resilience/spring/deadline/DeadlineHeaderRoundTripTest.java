package dev.resilience.spring.deadline;

import dev.resilience.annotation.Timeout;
import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two endpoints of one application over real HTTP: A calls an annotated {@code @Timeout} method that calls B with
 * RestClient; B reports the header and the deadline it saw. Time is a ManualClock that never moves, so the
 * numbers are exact.
 */
@SpringBootTest(classes = DeadlineHeaderRoundTripTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "resilience.timeout.instances.downstream.timeout-duration=5s")
class DeadlineHeaderRoundTripTest {

    private static final String HEADER = "Resilience-Deadline-Remaining-Ms";

    @LocalServerPort
    private int port;

    private RestClient client() {
        return RestClient.create("http://localhost:" + port);
    }

    @Test
    void theDeadlineOfAnOuterTimeoutReachesTheServiceCalledOverHttp() {
        String seenByB = client().get().uri("/a").retrieve().body(String.class);
        assertThat(seenByB).isEqualTo("header=5000 remaining=5000");
    }

    @Test
    void aCallWithoutADeadlineSendsNoHeader() {
        String seenByB = client().get().uri("/a-without-deadline").retrieve().body(String.class);
        assertThat(seenByB).isEqualTo("header=none remaining=none");
    }

    @Test
    void aValidHeaderBecomesTheRequestsDeadline() {
        ResponseEntity<String> response = client().get().uri("/b").header(HEADER, "1234").retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo("header=1234 remaining=1234");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "-5", "86400001", "99999999999999999999", "1.5"})
    void aMalformedNegativeOrHugeHeaderIsIgnoredAndTheRequestSucceeds(String value) {
        ResponseEntity<String> response = client().get().uri("/b").header(HEADER, value).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        assertThat(response.getBody()).isEqualTo("header=" + value + " remaining=none");
    }

    @Test
    void theRequestThreadHasNoDeadlineLeftOverAfterARequest() {
        client().get().uri("/b").header(HEADER, "777").retrieve().toBodilessEntity();
        // Tomcat reuses its threads: a later request without the header must see no deadline, whichever thread serves it.
        for (int i = 0; i < 5; i++) {
            assertThat(client().get().uri("/b").retrieve().body(String.class)).isEqualTo("header=none remaining=none");
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({Endpoints.class, Downstream.class})
    static class App {
        @Bean
        Clock clock() {
            return new ManualClock();
        }
    }

    @RestController
    static class Endpoints {
        private final Downstream downstream;

        Endpoints(Downstream downstream) {
            this.downstream = downstream;
        }

        @GetMapping("/a")
        String a() {
            return downstream.callB();
        }

        @GetMapping("/a-without-deadline")
        String aWithoutDeadline() {
            return downstream.callBWithoutDeadline();
        }

        @GetMapping("/b")
        String b(@RequestHeader(name = HEADER, required = false) String header) {
            String remaining = Deadline.current().map(d -> Long.toString(d.remaining().toMillis())).orElse("none");
            return "header=" + (header == null ? "none" : header) + " remaining=" + remaining;
        }
    }

    @Service
    static class Downstream {
        private final RestClient.Builder builder;
        private final Environment environment;

        Downstream(RestClient.Builder builder, Environment environment) {
            this.builder = builder;
            this.environment = environment;
        }

        private RestClient client() {
            return builder.baseUrl("http://localhost:" + environment.getProperty("local.server.port")).build();
        }

        @Timeout(name = "downstream")
        public String callB() {
            assertThat(Deadline.current()).hasValueSatisfying(d -> assertThat(d.remaining()).isEqualTo(Duration.ofSeconds(5)));
            return client().get().uri("/b").retrieve().body(String.class);
        }

        public String callBWithoutDeadline() {
            return client().get().uri("/b").retrieve().body(String.class);
        }
    }
}
