package dev.resilience.spring.proof;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.Timeout;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.core.Clock;
import dev.resilience.core.ManualClock;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.timeout.TimeoutExceededException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.AopTestUtils;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An annotated call that times out keeps its semaphore-bulkhead permit until the method really ends. */
class TimeoutOutsideBulkheadTest {

    /** A method that ignores interruption and keeps running after its caller timed out. */
    public static class StubbornService {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch finish = new CountDownLatch(1);
        final AtomicInteger interruptsIgnored = new AtomicInteger();

        @Timeout(name = "stubborn")
        @Bulkhead(name = "stubborn")
        public String call() {
            running.countDown();
            while (true) {
                try {
                    if (finish.await(30, TimeUnit.SECONDS)) {
                        return "finished late";
                    }
                } catch (InterruptedException e) {
                    interruptsIgnored.incrementAndGet();
                }
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {
        @Bean
        Clock resilienceClock() {
            return new ManualClock();
        }

        @Bean
        StubbornService stubbornService() {
            return new StubbornService();
        }
    }

    @Test
    void theTimedOutCallsPermitIsReturnedOnlyWhenTheMethodEnds() throws Exception {
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off",
                        "resilience.timeout.instances.stubborn.timeout-duration=1s",
                        "resilience.bulkhead.instances.stubborn.max-concurrent-calls=1",
                        "resilience.bulkhead.instances.stubborn.max-wait-duration=0s")
                .run()) {
            StubbornService service = context.getBean(StubbornService.class);
            StubbornService state = AopTestUtils.getUltimateTargetObject(service);
            ManualClock clock = (ManualClock) context.getBean(Clock.class);
            var bulkhead = context.getBean(ResilienceRegistries.class).bulkheads().get("stubborn");

            Future<String> timedOut = callers.submit(service::call);
            assertThat(state.running.await(30, TimeUnit.SECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(30)).until(() -> state.interruptsIgnored.get() == 1);

            assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero();
            assertThatThrownBy(service::call).isInstanceOf(BulkheadFullException.class);

            state.finish.countDown();
            // The method runs on its caller's thread: the caller learns of the timeout once the method has ended.
            assertThatThrownBy(() -> timedOut.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutExceededException.class);
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1);
            assertThat(service.call()).isEqualTo("finished late");
        } finally {
            callers.shutdownNow();
        }
    }
}
