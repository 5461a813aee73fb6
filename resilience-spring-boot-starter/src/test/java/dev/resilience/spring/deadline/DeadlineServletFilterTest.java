package dev.resilience.spring.deadline;

import dev.resilience.core.ManualClock;
import dev.resilience.deadline.Deadline;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineServletFilterTest {

    private static final String HEADER = "Resilience-Deadline-Remaining-Ms";

    private final ManualClock clock = new ManualClock();
    private final DeadlineServletFilter filter = new DeadlineServletFilter(new DeadlineHeader(HEADER), clock);

    private Duration deadlineSeenWith(String... values) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/b");
        for (String value : values) {
            request.addHeader(HEADER, value);
        }
        AtomicReference<Duration> seen = new AtomicReference<>();
        filter.doFilter(request, new MockHttpServletResponse(),
                new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
                    @Override
                    protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse res) {
                        seen.set(Deadline.current().map(Deadline::remaining).orElse(null));
                    }
                }));
        assertThat(Deadline.current()).isEmpty();
        return seen.get();
    }

    @Test
    void oneHeaderBecomesTheRequestsDeadline() throws Exception {
        assertThat(deadlineSeenWith("1234")).isEqualTo(Duration.ofMillis(1234));
    }

    @Test
    void ofRepeatedHeadersTheSmallestWins() throws Exception {
        assertThat(deadlineSeenWith("5000", "1200", "3000")).isEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void aMalformedValueAmongRepeatedHeadersIsIgnored() throws Exception {
        assertThat(deadlineSeenWith("soon", "2500")).isEqualTo(Duration.ofMillis(2500));
    }

    @Test
    void onlyMalformedValuesMeanNoDeadline() throws Exception {
        assertThat(deadlineSeenWith("soon", "-1")).isNull();
    }
}
