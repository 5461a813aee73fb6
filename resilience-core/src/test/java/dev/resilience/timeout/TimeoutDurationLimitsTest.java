package dev.resilience.timeout;

import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Any duration the config accepts works at run time: a practically endless timeout neither overflows nor fires. */
class TimeoutDurationLimitsTest {

    private static final Duration THOUSAND_YEARS = ChronoUnit.MILLENNIA.getDuration();

    private static TimeoutConfig thousandYears() {
        return TimeoutConfig.builder().timeoutDuration(THOUSAND_YEARS).build();
    }

    @Test
    void aThousandYearTimeoutRunsSynchronousAndAsynchronousCallsOnTheSystemClock() throws Exception {
        Timeout timeout = Timeout.of("forever", thousandYears(), Clock.system());

        assertThat(timeout.call(() -> "sync")).isEqualTo("sync");
        assertThat(timeout.call(() -> Deadline.current().orElseThrow().remaining()))
                .isGreaterThan(Duration.ofDays(365 * 50));
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> result = timeout.callAsync(() -> pending).toCompletableFuture();
        pending.complete("async");

        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("async");
        assertThat(timeout.metrics()).isEqualTo(new TimeoutMetrics(3, 0, 0));
    }

    @Test
    void aThousandYearTimeoutNeverFiresOnAManualClock() throws Exception {
        ManualClock clock = new ManualClock();
        clock.advance(Duration.ofDays(1)); // a clock whose time is not zero: now + the timeout would overflow
        Timeout timeout = Timeout.of("forever", thousandYears(), clock);
        CompletableFuture<String> pending = new CompletableFuture<>();
        CompletableFuture<String> result = timeout.callAsync(() -> pending).toCompletableFuture();

        clock.advance(Duration.ofDays(365 * 10));

        assertThat(result).isNotDone();
        assertThat(timeout.call(() -> "sync")).isEqualTo("sync");
        pending.complete("async");
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("async");
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void aThousandYearTimeoutInsideAShorterDeadlineTimesOutAtTheDeadline() throws Exception {
        ManualClock clock = new ManualClock();
        Timeout timeout = Timeout.of("forever", thousandYears(), clock);
        CompletableFuture<String> result = Deadline.runWithin(Duration.ofSeconds(2), clock,
                () -> timeout.callAsync(CompletableFuture<String>::new).toCompletableFuture());

        clock.advance(Duration.ofSeconds(2));

        assertThat(result).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingCause().isInstanceOf(TimeoutExceededException.class);
    }
}
