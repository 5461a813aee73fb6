package dev.resilience.circuitbreaker;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOError;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CircuitBreakerConfig#records(Throwable)} and {@link CircuitBreakerConfig#ignores(Throwable)} answer for one
 * exception what a breaker with that config does with it, so that integrations ask the config instead of re-deriving
 * the rules.
 */
class CircuitBreakerConfigClassificationTest {

    private final CircuitBreakerConfig config = CircuitBreakerConfig.builder()
            .recordExceptions(IOException.class, IOError.class, IllegalStateException.class)
            .ignoreExceptions(FileNotFoundException.class)
            .ignoreException(e -> "skip".equals(e.getMessage()))
            .recordException(e -> !"benign".equals(e.getMessage()))
            .slidingWindowSize(100).minimumNumberOfCalls(100)
            .build();

    @Test
    void ignoreClassesAndTheIgnorePredicateWin() {
        assertThat(config.ignores(new FileNotFoundException())).isTrue();
        assertThat(config.ignores(new IOException("skip"))).isTrue();
        assertThat(config.records(new IOException("down"))).isTrue();
    }

    @Test
    void anExceptionNeitherIgnoredNorRecordedIsNeitherAnsweredTrueAndCountsAsASuccess() {
        CircuitBreakerConfig classesOnly = CircuitBreakerConfig.builder().recordExceptions(IOException.class).build();
        assertThat(classesOnly.ignores(new TimeoutException())).isFalse();
        assertThat(classesOnly.records(new TimeoutException())).isFalse();
        CircuitBreakerConfig predicateOnly = CircuitBreakerConfig.builder()
                .recordException(e -> !"benign".equals(e.getMessage())).build();
        assertThat(predicateOnly.ignores(new IOException("benign"))).isFalse();
        assertThat(predicateOnly.records(new IOException("benign"))).isFalse();
    }

    @Test
    void theRecordClassesAndTheRecordPredicateEachRecord() {
        assertThat(config.records(new IOException("benign"))).as("a record class suffices").isTrue();
        assertThat(config.records(new TimeoutException())).as("the record predicate suffices").isTrue();
    }

    @Test
    void anErrorIsIgnoredUnlessARecordClassThatIsAnErrorNamesIt() {
        assertThat(config.ignores(new StackOverflowError())).isTrue();
        assertThat(config.records(new IOError(new IOException()))).isTrue();
        assertThat(CircuitBreakerConfig.builder().recordExceptions(Throwable.class).build()
                .ignores(new OutOfMemoryError())).isTrue();
        assertThat(CircuitBreakerConfig.defaults().ignores(new StackOverflowError())).isTrue();
        assertThat(CircuitBreakerConfig.defaults().records(new IllegalStateException())).isTrue();
    }

    @Test
    void aThrowingPredicateMakesTheExceptionRecordedAsTheBreakerRecordsIt() {
        CircuitBreakerConfig throwing = CircuitBreakerConfig.builder()
                .recordException(e -> e.getMessage().contains("503")).build();
        assertThat(throwing.records(new IOException())).isTrue();
        assertThat(throwing.ignores(new IOException())).isFalse();
    }

    @Test
    void aNullExceptionIsRefused() {
        assertThatThrownBy(() -> config.records(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("error");
    }

    @Test
    void eachAnswerMatchesWhatTheBreakerDoes() {
        List<Throwable> errors = List.of(new IllegalArgumentException("benign"), new FileNotFoundException(), new IOException("skip"), new IOException("down"),
                new TimeoutException(), new IOException("benign"), new StackOverflowError(),
                new IOError(new IOException()), new IllegalStateException("benign"), new IllegalStateException());
        for (Throwable error : errors) {
            CircuitBreaker breaker = CircuitBreaker.of("classified", config, new ManualClock());
            assertThatThrownBy(() -> breaker.call(() -> {
                throw error;
            })).isSameAs(error);
            CircuitBreakerMetrics metrics = breaker.metrics();
            assertThat(metrics.totalIgnoredCalls()).as("ignored: %s", error).isEqualTo(config.ignores(error) ? 1 : 0);
            assertThat(metrics.totalFailedCalls()).as("failed: %s", error).isEqualTo(config.records(error) ? 1 : 0);
            assertThat(metrics.totalSuccessfulCalls()).as("succeeded: %s", error)
                    .isEqualTo(config.ignores(error) || config.records(error) ? 0 : 1);
        }
    }
}
