package dev.resilience.spring.deadline;

import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadlineClientInterceptorTest {

    private static final String HEADER = "Resilience-Deadline-Remaining-Ms";

    private final ManualClock clock = new ManualClock();
    private final DeadlineClientInterceptor interceptor = new DeadlineClientInterceptor(new DeadlineHeader(HEADER));
    private final MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET, URI.create("http://inventory.local/stock/42"));
    private final AtomicInteger sent = new AtomicInteger();
    private final ClientHttpRequestExecution execution = (req, body) -> {
        sent.incrementAndGet();
        return new MockClientHttpResponse();
    };

    @AfterEach
    void noDeadlineLeftOver() {
        Deadline.replace(null);
    }

    @Test
    void aCallWithTimeLeftIsSentWithTheRemainingMilliseconds() throws Exception {
        Deadline.replace(Deadline.after(Duration.ofMillis(1500), clock));

        interceptor.intercept(request, new byte[0], execution);

        assertThat(sent).hasValue(1);
        assertThat(request.getHeaders().getFirst(HEADER)).isEqualTo("1500");
    }

    @Test
    void aCallWhoseDeadlineHasExpiredFailsWithoutBeingSent() {
        Deadline.replace(Deadline.after(Duration.ofMillis(100), clock));
        clock.advance(Duration.ofMillis(150));

        assertThatThrownBy(() -> interceptor.intercept(request, new byte[0], execution))
                .isInstanceOf(TimeoutExceededException.class)
                .hasMessageContaining("GET http://inventory.local/stock/42");
        assertThat(sent).hasValue(0);
    }

    @Test
    void aCallWithLessThanAMillisecondLeftFailsRatherThanSendZero() {
        Deadline.replace(Deadline.after(Duration.ofMillis(1), clock));
        clock.advanceNanos(500_000);

        assertThatThrownBy(() -> interceptor.intercept(request, new byte[0], execution))
                .isInstanceOf(TimeoutExceededException.class);
        assertThat(sent).hasValue(0);
    }

    @Test
    void anExpiredDeadlineFailsTheCallEvenWhenTheApplicationSetTheHeaderItself() {
        Deadline.replace(Deadline.after(Duration.ZERO, clock));
        request.getHeaders().set(HEADER, "500");

        assertThatThrownBy(() -> interceptor.intercept(request, new byte[0], execution))
                .isInstanceOf(TimeoutExceededException.class);
        assertThat(sent).hasValue(0);
    }
}
