package dev.resilience.retry;

import dev.resilience.core.ManualClock;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryTest {

    private final ManualClock clock = new ManualClock();

    private Retry retry(RetryConfig.Builder builder) {
        return Retry.of("svc", builder.build(), clock);
    }

    @Test
    void kindAndNameAndFactories() {
        Retry r = Retry.ofDefaults("x");
        assertThat(r.kind()).isEqualTo("retry");
        assertThat(r.name()).isEqualTo("x");
        assertThat(r.config()).isSameAs(RetryConfig.defaults());
        assertThat(Retry.of("y", RetryConfig.defaults()).name()).isEqualTo("y");
    }

    @Test
    void maxAttemptsCountsTheFirstCall() {
        Retry r = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(10)));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void maxAttemptsOfOneMeansNoRetry() {
        Retry r = retry(RetryConfig.builder().maxAttempts(1));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException();
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(1);
        assertThat(r.metrics().failedCallsWithoutRetry()).isEqualTo(1);
    }

    @Test
    void succeedsAfterFailuresAndReturnsTheResult() {
        Retry r = retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofMillis(100)));
        AtomicInteger attempts = new AtomicInteger();
        String result = r.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException();
            }
            return "ok";
        });
        assertThat(result).isEqualTo("ok");
        assertThat(attempts).hasValue(3);
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(200).toNanos());
    }

    @Test
    void sleepsTheExponentialBackoffBetweenAttempts() {
        Retry r = retry(RetryConfig.builder().maxAttempts(4).waitDuration(Duration.ofMillis(100)).exponentialBackoffMultiplier(2));
        List<Long> attemptTimesMillis = new ArrayList<>();
        assertThatThrownBy(() -> r.call(() -> {
            attemptTimesMillis.add(clock.nanoTime() / 1_000_000);
            throw new IOException("down");
        })).isInstanceOf(IOException.class);
        assertThat(attemptTimesMillis).containsExactly(0L, 100L, 300L, 700L);
    }

    @Test
    void throwsTheLastFailureUnchangedWhenAttemptsRunOut() {
        Retry r = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(1)));
        AtomicInteger attempts = new AtomicInteger();
        List<IOException> thrown = new ArrayList<>();
        Throwable caught = org.assertj.core.api.Assertions.catchThrowable(() -> r.call(() -> {
            IOException e = new IOException("failure " + attempts.incrementAndGet());
            thrown.add(e);
            throw e;
        }));
        assertThat(caught).isSameAs(thrown.get(2)).hasMessage("failure 3").hasNoCause();
    }

    @Test
    void checkedExceptionPassesThroughUnchangedWithItsDeclaredType() {
        Retry r = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ZERO));
        IOException failure = new IOException("disk");
        try {
            r.<String, IOException>call(() -> {
                throw failure;
            });
        } catch (IOException e) {
            assertThat(e).isSameAs(failure);
            return;
        }
        throw new AssertionError("expected the IOException");
    }

    @Test
    void ignoredExceptionIsNotRetried() {
        Retry r = retry(RetryConfig.builder().maxAttempts(5).ignoreExceptions(IllegalArgumentException.class));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            attempts.incrementAndGet();
            throw new NumberFormatException(); // a subclass of the ignored class
        })).isInstanceOf(NumberFormatException.class);
        assertThat(attempts).hasValue(1);
        assertThat(clock.nanoTime()).isZero();
    }

    @Test
    void exceptionNotListedInRetryExceptionsIsNotRetried() {
        Retry r = retry(RetryConfig.builder().maxAttempts(5).retryExceptions(IOException.class));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            attempts.incrementAndGet();
            throw new IllegalStateException();
        })).isInstanceOf(IllegalStateException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void listedExceptionSubclassIsRetried() {
        Retry r = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(1)).retryExceptions(IOException.class));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            attempts.incrementAndGet();
            throw new java.net.SocketTimeoutException();
        })).isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(attempts).hasValue(3);
    }

    @Test
    void retryOnExceptionPredicateDecides() {
        Retry r = retry(RetryConfig.builder().maxAttempts(4).waitDuration(Duration.ofMillis(1))
                .retryOnException(e -> "transient".equals(e.getMessage())));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalStateException(attempts.incrementAndGet() < 2 ? "transient" : "fatal");
        })).hasMessage("fatal");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void errorIsNeverRetried() {
        Retry r = retry(RetryConfig.builder().maxAttempts(5));
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> r.call(() -> {
            attempts.incrementAndGet();
            throw new StackOverflowError();
        })).isInstanceOf(StackOverflowError.class);
        assertThat(attempts).hasValue(1);
        assertThat(r.metrics().failedCallsWithIgnoredError()).isEqualTo(1);
    }

    @Test
    void retriesOnMatchingResultAndReturnsTheLastResultWhenAttemptsRunOut() {
        Retry r = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(10))
                .retryOnResult(result -> ((Integer) result) < 100));
        AtomicInteger attempts = new AtomicInteger();
        Integer result = r.call(attempts::incrementAndGet);
        assertThat(result).isEqualTo(3);
        assertThat(attempts).hasValue(3);
        assertThat(r.metrics()).isEqualTo(new RetryMetrics(0, 0, 0, 1, 0));
    }

    @Test
    void retryOnResultStopsOnceTheResultIsAcceptable() {
        Retry r = retry(RetryConfig.builder().maxAttempts(5).waitDuration(Duration.ofMillis(10))
                .retryOnResult(result -> result == null));
        AtomicInteger attempts = new AtomicInteger();
        String result = r.call(() -> attempts.incrementAndGet() < 3 ? null : "ready");
        assertThat(result).isEqualTo("ready");
        assertThat(r.metrics().successfulCallsWithRetry()).isEqualTo(1);
    }

    @Test
    void metricsCountEveryOutcomeOnce() {
        Retry r = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(1)).ignoreExceptions(IllegalArgumentException.class));
        r.call(() -> "first time");
        AtomicInteger n = new AtomicInteger();
        r.call(() -> {
            if (n.incrementAndGet() == 1) {
                throw new IllegalStateException();
            }
            return "second time";
        });
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalStateException();
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalArgumentException();
        })).isInstanceOf(IllegalArgumentException.class);
        assertThat(r.metrics()).isEqualTo(new RetryMetrics(1, 1, 0, 1, 1));
    }

    @Test
    void eventsDescribeRetriesSuccessErrorAndIgnoredError() {
        Retry r = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(50)).ignoreExceptions(IllegalArgumentException.class));
        List<RetryEvent> events = new ArrayList<>();
        r.events().subscribe(events::add);
        AtomicInteger n = new AtomicInteger();
        r.call(() -> {
            if (n.incrementAndGet() == 1) {
                throw new IllegalStateException("once");
            }
            return "ok";
        });
        r.call(() -> "no event for a first-attempt success");
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalStateException("always");
        }));
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalArgumentException("ignored");
        }));

        assertThat(events).extracting(RetryEvent::type)
                .containsExactly("RETRY", "SUCCESS", "RETRY", "ERROR", "IGNORED_ERROR");
        RetryEvent firstRetry = events.get(0);
        assertThat(firstRetry.kind()).isEqualTo("retry");
        assertThat(firstRetry.name()).isEqualTo("svc");
        assertThat(firstRetry.epochMillis()).isEqualTo(clock.currentTimeMillis() - 100);
        assertThat(firstRetry.details()).containsEntry("attempts", 1).containsEntry("waitDuration", Duration.ofMillis(50))
                .containsEntry("error", "java.lang.IllegalStateException: once");
        assertThat(events.get(1).attempts()).isEqualTo(2);
        assertThat(events.get(3).details()).containsEntry("attempts", 2).containsKey("error").doesNotContainKey("waitDuration");
        assertThat(events.get(4).error()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsubscribedListenerGetsNoMoreEvents() {
        Retry r = retry(RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ofMillis(1)));
        List<RetryEvent> events = new ArrayList<>();
        r.events().subscribe(events::add).close();
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalStateException();
        }));
        assertThat(events).isEmpty();
    }

    @Test
    void jitteredWaitsUseTheInjectedRandom() {
        Retry r = retry(RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ofMillis(100)).randomizedWaitFactor(0.5)
                .random(() -> 0.25));
        assertThatThrownBy(() -> r.call(() -> {
            throw new IllegalStateException();
        }));
        // each wait: 100 ms * (1 - 0.5) + 0.25 * 2 * 0.5 * 100 ms = 75 ms
        assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(150).toNanos());
    }

    @Test
    void concurrentCallsAreCountedExactly() throws Exception {
        Retry r = Retry.of("shared", RetryConfig.builder().maxAttempts(3).waitDuration(Duration.ZERO).build());
        int threads = 32;
        int callsPerThread = 1_000;
        java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
        AtomicInteger attempts = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                try {
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < callsPerThread; i++) {
                    int callNo = i;
                    AtomicInteger mine = new AtomicInteger();
                    try {
                        r.call(() -> {
                            attempts.incrementAndGet();
                            // call i fails (i % 4) times: 0 -> first try, 1 and 2 -> after retry, 3 -> exhausted
                            if (mine.incrementAndGet() <= callNo % 4) {
                                throw new IllegalStateException();
                            }
                            return callNo;
                        });
                    } catch (IllegalStateException expected) {
                        // exhausted
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        long quarter = threads * callsPerThread / 4L;
        assertThat(r.metrics()).isEqualTo(new RetryMetrics(quarter, 2 * quarter, 0, quarter, 0));
        assertThat(attempts.get()).isEqualTo(quarter * (1 + 2 + 3 + 3));
    }
}
