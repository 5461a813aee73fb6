package dev.resilience.spring.interceptor;

import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOError;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** What a method's fallback is not given follows the core's own classification of each policy. */
class PolicyExceptionsTest {

    private final CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
            .recordExceptions(IOException.class, IOError.class).ignoreExceptions(FileNotFoundException.class)
            .ignoreException(e -> "skip".equals(e.getMessage())).build());

    @Test
    void aBreakerLeavesToTheFallbackFilterWhatItsConfigDoesNotRecordAsAFailure() {
        Predicate<Throwable> ignored = PolicyExceptions.ignoredBy(breaker);
        for (Throwable error : List.of(new IOException("down"), new FileNotFoundException(), new IOException("skip"),
                new IllegalStateException(), new IOError(new IOException()))) {
            assertThat(ignored.test(error)).as("%s", error).isEqualTo(!breaker.config().records(error));
        }
    }

    @Test
    void anErrorTheBreakerDoesNotRecordIsIgnoredByIt() {
        CircuitBreaker defaults = CircuitBreaker.of("defaults", CircuitBreakerConfig.defaults());
        assertThat(PolicyExceptions.ignoredBy(defaults).test(new StackOverflowError())).isTrue();
        assertThat(PolicyExceptions.ignoredBy(defaults).test(new IllegalStateException())).isFalse();
        assertThat(PolicyExceptions.ignoredBy(breaker).test(new IOError(new IOException()))).isFalse();
        assertThat(PolicyExceptions.ignoredBy(breaker).test(new IllegalStateException()))
                .as("outside record-exceptions: a success to the breaker, not a failure for the fallback").isTrue();
    }
}
