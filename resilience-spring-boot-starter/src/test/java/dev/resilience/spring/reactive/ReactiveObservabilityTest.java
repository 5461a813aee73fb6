package dev.resilience.spring.reactive;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.actuate.BulkheadsEndpoint;
import dev.resilience.spring.actuate.CircuitBreakersEndpoint;
import dev.resilience.spring.actuate.ResilienceEventsEndpoint;
import dev.resilience.spring.actuate.ResilienceMeterBinder;
import dev.resilience.spring.actuate.RetriesEndpoint;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceEndpointAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceMetricsAutoConfiguration;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The actuator endpoints, the Micrometer meters and the events see a reactive call exactly as they see the same
 * synchronous call: twin methods, one returning a value and one a {@code Mono}, on twin instances of the same
 * configuration, leave the same figures.
 */
class ReactiveObservabilityTest {

    private static final Duration VERIFY = Duration.ofSeconds(5);

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceReactiveAutoConfiguration.class,
                    ResilienceEndpointAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class))
            .withBean(Twins.class)
            .withPropertyValues("management.endpoints.web.exposure.include=*",
                    "resilience.retry.configs.default.max-attempts=2",
                    "resilience.retry.configs.default.wait-duration=1ms",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=4",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=4");

    /** The same protection twice: synchronous and reactive. */
    static class Twins {

        @Retry(name = "sync")
        @CircuitBreaker(name = "sync")
        @Bulkhead(name = "sync")
        public String sync(boolean fail) {
            if (fail) {
                throw new IllegalStateException("down");
            }
            return "ok";
        }

        @Retry(name = "reactive")
        @CircuitBreaker(name = "reactive")
        @Bulkhead(name = "reactive")
        public Mono<String> reactive(boolean fail) {
            return fail ? Mono.error(new IllegalStateException("down")) : Mono.just("ok");
        }
    }

    @Test
    void endpointsMetersAndEventsSeeAReactiveCallAsTheyDoASynchronousOne() {
        runner.run(context -> {
            Twins twins = context.getBean(Twins.class);
            MeterRegistry meters = new SimpleMeterRegistry();
            context.getBean(ResilienceMeterBinder.class).bindTo(meters);

            assertThat(twins.sync(false)).isEqualTo("ok");
            assertThatThrownBy(() -> twins.sync(true)).isInstanceOf(IllegalStateException.class);
            StepVerifier.create(twins.reactive(false)).expectNext("ok").expectComplete().verify(VERIFY);
            StepVerifier.create(twins.reactive(true)).expectError(IllegalStateException.class).verify(VERIFY);

            CircuitBreakersEndpoint breakers = context.getBean(CircuitBreakersEndpoint.class);
            var syncBreaker = breakers.circuitBreaker("sync").circuitBreakers().get("sync");
            assertThat(breakers.circuitBreaker("reactive").circuitBreakers().get("reactive")).isEqualTo(syncBreaker);
            // One success, and two failed attempts of the failing call (the retry wraps the breaker).
            assertThat(syncBreaker.bufferedCalls()).isEqualTo(3);
            assertThat(syncBreaker.failedCalls()).isEqualTo(2);

            RetriesEndpoint retries = context.getBean(RetriesEndpoint.class);
            var syncRetry = retries.retry("sync").retries().get("sync");
            assertThat(retries.retry("reactive").retries().get("reactive")).isEqualTo(syncRetry);
            assertThat(syncRetry.successfulCallsWithoutRetry()).isEqualTo(1);
            assertThat(syncRetry.failedCallsWithRetry()).isEqualTo(1);

            BulkheadsEndpoint bulkheads = context.getBean(BulkheadsEndpoint.class);
            assertThat(bulkheads.bulkhead("reactive", null).bulkheads().get("reactive"))
                    .isEqualTo(bulkheads.bulkhead("sync", null).bulkheads().get("sync"));

            assertThat(counts(meters, "reactive")).isEqualTo(counts(meters, "sync")).isNotEmpty();

            ResilienceEventsEndpoint events = context.getBean(ResilienceEventsEndpoint.class);
            assertThat(eventTypes(events, "reactive")).isEqualTo(eventTypes(events, "sync")).isNotEmpty();
        });
    }

    /** Every counter of an instance, by meter name and tags other than the name. */
    private static Map<String, Double> counts(MeterRegistry meters, String name) {
        Map<String, Double> counts = new TreeMap<>();
        for (Meter meter : meters.find("resilience.circuitbreaker.calls").tag("name", name).meters()) {
            counts.put(key(meter), ((FunctionCounter) meter).count());
        }
        for (Meter meter : meters.find("resilience.retry.calls").tag("name", name).meters()) {
            counts.put(key(meter), ((FunctionCounter) meter).count());
        }
        for (Meter meter : meters.find("resilience.bulkhead.calls").tag("name", name).meters()) {
            counts.put(key(meter), ((FunctionCounter) meter).count());
        }
        return counts;
    }

    private static String key(Meter meter) {
        StringBuilder key = new StringBuilder(meter.getId().getName());
        meter.getId().getTags().stream().filter(tag -> !tag.getKey().equals("name"))
                .forEach(tag -> key.append(' ').append(tag.getKey()).append('=').append(tag.getValue()));
        return key.toString();
    }

    /** The kind and type of each event of the instances of that name, in order. */
    private static List<String> eventTypes(ResilienceEventsEndpoint events, String name) {
        return events.events(null, name).events().stream().map(event -> event.get("kind") + ":" + event.get("type")).toList();
    }
}
