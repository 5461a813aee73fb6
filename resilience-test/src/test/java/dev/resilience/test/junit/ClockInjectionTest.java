package dev.resilience.test.junit;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.core.Registry;
import dev.resilience.test.RecordedEvents;
import dev.resilience.test.TestRegistries;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static dev.resilience.circuitbreaker.CircuitBreaker.State.HALF_OPEN;
import static dev.resilience.circuitbreaker.CircuitBreaker.State.OPEN;
import static dev.resilience.test.ResilienceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@ResilienceCoreTest
class ClockInjectionTest {

    private static final CircuitBreakerConfig OPENS_AFTER_TWO_FAILURES = CircuitBreakerConfig.builder()
            .slidingWindowSize(2).minimumNumberOfCalls(2)
            .waitDurationInOpenState(Duration.ofSeconds(30))
            .automaticTransitionFromOpenToHalfOpenEnabled(true)
            .build();

    private final ManualClock constructorClock;

    @InjectResilience
    ManualClock fieldClock;

    @InjectResilience
    Registry<CircuitBreaker, CircuitBreakerConfig> fieldBreakers;

    private TestRegistries beforeEachRegistries;

    ClockInjectionTest(ManualClock clock) {
        this.constructorClock = clock;
    }

    @BeforeEach
    void keep(TestRegistries registries) {
        this.beforeEachRegistries = registries;
    }

    @Test
    void advancingTheInjectedClockPastTheOpenStateWaitTakesAnOpenBreakerToHalfOpen(ManualClock clock,
            Registry<CircuitBreaker, CircuitBreakerConfig> breakers, RecordedEvents events) {
        CircuitBreaker breaker = breakers.get("inventory", OPENS_AFTER_TWO_FAILURES);
        for (int i = 0; i < 2; i++) {
            catchThrowable(() -> breaker.call(() -> {
                throw new IOException("down");
            }));
        }
        assertThat(breaker).isOpen();

        clock.advance(Duration.ofSeconds(29));
        assertThat(breaker).isOpen();

        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker).isHalfOpen();
        assertThat(events).containsTransition("inventory", OPEN, HALF_OPEN);
    }

    @Test
    void theConstructorTheFieldsTheBeforeEachMethodAndTheParametersOfOneTestShareItsObjects(ManualClock clock,
            Clock plainClock, TestRegistries registries, Registry<CircuitBreaker, CircuitBreakerConfig> breakers) {
        assertThat(constructorClock).isSameAs(clock);
        assertThat(fieldClock).isSameAs(clock);
        assertThat(plainClock).isSameAs(clock);
        assertThat(beforeEachRegistries).isSameAs(registries);
        assertThat(fieldBreakers).isSameAs(breakers).isSameAs(registries.circuitBreakers());
    }

    @Nested
    class InANestedClass {

        @Test
        void theOuterClassFieldsAndConstructorGetTheNestedTestsObjects(ManualClock clock) {
            assertThat(fieldClock).isSameAs(clock);
            assertThat(constructorClock).isSameAs(clock);
        }
    }
}
