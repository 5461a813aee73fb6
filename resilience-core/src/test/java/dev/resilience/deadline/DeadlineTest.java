package dev.resilience.deadline;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadlineTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void aThreadHasNoDeadlineByDefault() {
        assertThat(Deadline.current()).isEmpty();
        assertThat(Deadline.currentOrNull()).isNull();
    }

    @Test
    void runWithinSetsTheDeadlineForTheWorkAndRemovesItAfterwards() {
        Duration seen = Deadline.runWithin(Duration.ofSeconds(2), clock, () -> {
            clock.advance(Duration.ofMillis(500));
            return Deadline.current().orElseThrow().remaining();
        });
        assertThat(seen).isEqualTo(Duration.ofMillis(1500));
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void theDeadlineIsRemovedWhenTheWorkThrows() {
        IOException failure = new IOException("boom");
        assertThatThrownBy(() -> Deadline.runWithin(Duration.ofSeconds(2), clock, () -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void aNestedScopeNeverExtendsTheDeadlineItRunsIn() {
        Duration seen = Deadline.runWithin(Duration.ofSeconds(1), clock,
                () -> Deadline.runWithin(Duration.ofSeconds(5), clock, () -> Deadline.current().orElseThrow().remaining()));
        assertThat(seen).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aNestedScopeShortensTheDeadlineAndTheOuterOneComesBack() {
        Deadline.runWithin(Duration.ofSeconds(5), clock, () -> {
            Duration inner = Deadline.runWithin(Duration.ofSeconds(1), clock, () -> Deadline.current().orElseThrow().remaining());
            assertThat(inner).isEqualTo(Duration.ofSeconds(1));
            assertThat(Deadline.current().orElseThrow().remaining()).isEqualTo(Duration.ofSeconds(5));
            return null;
        });
    }

    @Test
    void aDeadlineExpiresWhenItsTimeHasCome() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(1), clock);
        assertThat(deadline.isExpired()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(deadline.isExpired()).isTrue();
        assertThat(deadline.remainingNanos()).isZero();
        clock.advance(Duration.ofMillis(300));
        assertThat(deadline.remaining()).isEqualTo(Duration.ofMillis(-300));
    }

    @Test
    void replaceReturnsThePreviousDeadlineForTheCallerToRestore() {
        Deadline first = Deadline.after(Duration.ofSeconds(1), clock);
        Deadline second = Deadline.after(Duration.ofSeconds(2), clock);
        assertThat(Deadline.replace(first)).isNull();
        assertThat(Deadline.replace(second)).isSameAs(first);
        assertThat(Deadline.replace(null)).isSameAs(second);
        assertThat(Deadline.current()).isEmpty();
    }

    @Test
    void runInstallsExactlyThisDeadlineEvenIfLaterThanTheCurrentOne() {
        Deadline later = Deadline.after(Duration.ofSeconds(9), clock);
        Duration seen = Deadline.runWithin(Duration.ofSeconds(1), clock,
                () -> later.run(() -> Deadline.current().orElseThrow().remaining()));
        assertThat(seen).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void hugeTimeoutsSaturateInsteadOfOverflowing() {
        Deadline deadline = Deadline.after(Duration.ofDays(365L * 1_000_000), clock);
        assertThat(deadline.isExpired()).isFalse();
        assertThat(deadline.remainingNanos()).isEqualTo(Long.MAX_VALUE / 4);
    }
}
