package dev.resilience.spring.lifecycle;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Once shutdown begins, new top-level calls are refused, but a call in flight may still call other annotated beans. */
class NestedCallDrainTest {

    public static class Stock {
        @CircuitBreaker(name = "stock")
        public String lookup(String sku) {
            return "stock of " + sku;
        }
    }

    public static class Job {
        private final Stock stock;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);

        public Job(Stock stock) {
            this.stock = stock;
        }

        @Bulkhead(name = "job")
        public String run(String sku) throws InterruptedException {
            started.countDown();
            proceed.await(10, TimeUnit.SECONDS);
            return "job saw " + stock.lookup(sku);
        }

        /** Runs the method on a timeout worker thread. */
        @Timeout(name = "longJob")
        public String runOnAWorker(String sku) throws InterruptedException {
            return run(sku);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {
        @Bean
        Stock stock() {
            return new Stock();
        }

        @Bean
        Job job(Stock stock) {
            return new Job(stock);
        }
    }

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "resilience.timeout.instances.longJob.timeout-duration=20s").run();
    }

    private static Job target(ConfigurableApplicationContext context) {
        return org.springframework.test.util.AopTestUtils.getUltimateTargetObject(context.getBean(Job.class));
    }

    @Test
    void aJobInFlightCallsAnotherAnnotatedBeanAfterShutdownBeginsAndCompletes() throws Exception {
        ConfigurableApplicationContext context = start();
        Future<String> job = threads.submit(() -> context.getBean(Job.class).run("a"));
        assertThat(target(context).started.await(10, TimeUnit.SECONDS)).isTrue();
        Stock stock = context.getBean(Stock.class);

        Future<?> closing = threads.submit(context::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(ShutdownGate.class).isClosed());
        assertThatThrownBy(() -> stock.lookup("new")).isInstanceOf(ShutdownInProgressException.class);

        target(context).proceed.countDown();
        assertThat(job.get(10, TimeUnit.SECONDS)).isEqualTo("job saw stock of a");
        closing.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aJobRunningOnATimeoutWorkerCallsAnotherAnnotatedBeanAfterShutdownBegins() throws Exception {
        ConfigurableApplicationContext context = start();
        Future<String> job = threads.submit(() -> context.getBean(Job.class).runOnAWorker("b"));
        assertThat(target(context).started.await(10, TimeUnit.SECONDS)).isTrue();

        Future<?> closing = threads.submit(context::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getBean(ShutdownGate.class).isClosed());

        target(context).proceed.countDown();
        assertThat(job.get(10, TimeUnit.SECONDS)).isEqualTo("job saw stock of b");
        closing.get(10, TimeUnit.SECONDS);
    }
}
