package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManualClockTest {

    private final ManualClock clock = new ManualClock();

    @Test
    void timeMovesOnlyWhenAdvanced() {
        long before = clock.nanoTime();
        clock.advance(Duration.ofMillis(250));
        assertThat(clock.nanoTime() - before).isEqualTo(250_000_000L);
    }

    @Test
    void wallTimeFollowsMonotonicTime() {
        long before = clock.currentTimeMillis();
        clock.advance(Duration.ofSeconds(2));
        assertThat(clock.currentTimeMillis() - before).isEqualTo(2_000L);
    }

    @Test
    void runsScheduledTasksInDueOrderAtTheirDueTime() {
        List<String> ran = new ArrayList<>();
        clock.schedule(() -> ran.add("b@" + clock.nanoTime()), 200);
        clock.schedule(() -> ran.add("a@" + clock.nanoTime()), 100);
        clock.schedule(() -> ran.add("c@" + clock.nanoTime()), 300);
        clock.advanceNanos(250);
        assertThat(ran).containsExactly("a@100", "b@200");
        assertThat(clock.nanoTime()).isEqualTo(250);
        assertThat(clock.pendingTasks()).isEqualTo(1);
    }

    @Test
    void cancelledTaskNeverRuns() {
        List<String> ran = new ArrayList<>();
        Scheduled task = clock.schedule(() -> ran.add("x"), 100);
        assertThat(task.cancel()).isTrue();
        clock.advanceNanos(1_000);
        assertThat(ran).isEmpty();
        assertThat(task.cancel()).isFalse();
    }

    @Test
    void taskScheduledByATaskRunsInTheSameAdvanceWhenDue() {
        List<Long> ran = new ArrayList<>();
        clock.schedule(() -> clock.schedule(() -> ran.add(clock.nanoTime()), 50), 100);
        clock.advanceNanos(200);
        assertThat(ran).containsExactly(150L);
    }

    @Test
    void sleepAdvancesTimeInsteadOfBlocking() throws InterruptedException {
        clock.sleep(Duration.ofHours(1).toNanos());
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofHours(1).toNanos());
    }

    @Test
    void sleepOfAnInterruptedThreadThrowsAndClearsTheFlag() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> clock.sleep(10)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void refusesToAdvanceBackwards() {
        assertThatThrownBy(() -> clock.advanceNanos(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void canBeSetBackwardsExplicitly() {
        clock.advanceNanos(1_000);
        clock.setNanoTime(10);
        assertThat(clock.nanoTime()).isEqualTo(10);
    }

    @Test
    void aTaskScheduledLongMaxValueAheadNeverRuns() {
        List<String> ran = new ArrayList<>();
        clock.advanceNanos(1_000);
        clock.schedule(() -> ran.add("never"), Long.MAX_VALUE);
        clock.advance(Duration.ofMillis(1));
        clock.advance(Duration.ofDays(365L * 200));
        clock.advanceNanos(Long.MAX_VALUE);
        assertThat(ran).isEmpty();
        assertThat(clock.pendingTasks()).isEqualTo(1);
    }

    @Test
    void aTaskFarAheadRunsAtItsTimeNotAfterAWrapAround() {
        List<Long> ran = new ArrayList<>();
        clock.advanceNanos(1_000);
        clock.schedule(() -> ran.add(clock.nanoTime()), Long.MAX_VALUE - 2_000);
        clock.advance(Duration.ofMillis(1));
        assertThat(ran).isEmpty();
        clock.advanceNanos(Long.MAX_VALUE - 2_000);
        assertThat(ran).containsExactly(Long.MAX_VALUE - 1_000);
    }

    @Test
    void advancingPastTheEndOfTimeStopsThere() throws InterruptedException {
        clock.advanceNanos(5);
        clock.advanceNanos(Long.MAX_VALUE);
        assertThat(clock.nanoTime()).isEqualTo(Long.MAX_VALUE);
        clock.sleep(Long.MAX_VALUE);
        clock.advance(Duration.ofDays(365L * 1_000));
        assertThat(clock.nanoTime()).isEqualTo(Long.MAX_VALUE);
    }
}
