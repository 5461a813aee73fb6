package dev.resilience.spring.deadline;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineHeaderTest {

    @ParameterizedTest
    @CsvSource({"0, 0", "250, 250", "' 1500 ', 1500", "86400000, 86400000"})
    void acceptsWholeMillisecondsUpToOneDay(String value, long millis) {
        assertThat(DeadlineHeader.parseMillis(value)).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-5", "+5", "1.5", "1e3", "86400001", "999999999", "99999999999999999999", "12 34"})
    void rejectsMalformedNegativeAndHugeValues(String value) {
        assertThat(DeadlineHeader.parseMillis(value)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource({"1999999, 1", "-5000000, 0", "0, 0", "2500000000, 2500"})
    void formatsTheRemainingTimeAsWholeMillisecondsRoundedDownNeverNegative(long nanos, String header) {
        assertThat(DeadlineHeader.format(nanos)).isEqualTo(header);
    }
}
