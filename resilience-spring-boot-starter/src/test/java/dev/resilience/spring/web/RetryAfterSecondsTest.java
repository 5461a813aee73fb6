package dev.resilience.spring.web;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterSecondsTest {

    @Test
    void wholeSecondsStayAsTheyAre() {
        assertThat(ResilienceProblemDetailsAdvice.retryAfterSeconds(Duration.ofSeconds(30))).isEqualTo(30);
    }

    @Test
    void anyFractionRoundsUp() {
        assertThat(ResilienceProblemDetailsAdvice.retryAfterSeconds(Duration.ofMillis(29_001))).isEqualTo(30);
        assertThat(ResilienceProblemDetailsAdvice.retryAfterSeconds(Duration.ofNanos(1_000_000_001))).isEqualTo(2);
    }

    @Test
    void neverLessThanOneSecond() {
        assertThat(ResilienceProblemDetailsAdvice.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
        assertThat(ResilienceProblemDetailsAdvice.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
    }
}
