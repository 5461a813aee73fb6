package dev.resilience.spring.proof;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.annotation.Bulkhead;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Closing the application while 200 callers keep calling annotated methods ends every call cleanly, within the
 * shutdown timeout, and leaves no resilience thread that would keep the JVM alive.
 */
class ShutdownUnderLoadTest {

    static final int CALLERS = 200;

    /** Busy methods: each call works for a random 20 to 200 ms. */
    public static class BusyService {
        @Bulkhead(name = "busy")
        public String onCallerThread() throws InterruptedException {
            work();
            return "done";
        }

        @Bulkhead(name = "busy-pool", type = Bulkhead.Type.THREADPOOL)
        public CompletableFuture<String> onPool() throws InterruptedException {
            work();
            return CompletableFuture.completedFuture("done");
        }

        private static void work() throws InterruptedException {
            // Simulated work: the method under load, not a wait for the test's timing.
            Thread.sleep(ThreadLocalRandom.current().nextLong(20, 200));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {
        @Bean
        BusyService busyService() {
            return new BusyService();
        }
    }

    @Test
    void everyCallInFlightEndsCompleteOrRefusedAndCloseReturnsWellWithinTheShutdownTimeout() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off",
                        "resilience.shutdown.timeout=10s",
                        "resilience.bulkhead.instances.busy.max-concurrent-calls=" + CALLERS,
                        "resilience.thread-pool-bulkhead.instances.busy-pool.core-thread-pool-size=8",
                        "resilience.thread-pool-bulkhead.instances.busy-pool.max-thread-pool-size=8",
                        "resilience.thread-pool-bulkhead.instances.busy-pool.queue-capacity=" + CALLERS)
                .run();
        BusyService service = context.getBean(BusyService.class);
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch allCalling = new CountDownLatch(CALLERS);
        List<Thread> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            boolean pooled = c % 2 == 1;
            Thread caller = new Thread(() -> {
                allCalling.countDown();
                while (true) {
                    try {
                        String result = pooled ? service.onPool().get(30, TimeUnit.SECONDS) : service.onCallerThread();
                        assertThat(result).isEqualTo("done");
                        completed.incrementAndGet();
                    } catch (ShutdownInProgressException e) {
                        refused.incrementAndGet();
                        return;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof ShutdownInProgressException) {
                            refused.incrementAndGet();
                        } else {
                            unexpected.add(e.getCause());
                        }
                        return;
                    } catch (Throwable e) {
                        unexpected.add(e);
                        return;
                    }
                }
            }, "proof-caller-" + c);
            caller.setDaemon(true);
            callers.add(caller);
            caller.start();
        }
        assertThat(allCalling.await(30, TimeUnit.SECONDS)).isTrue();
        TimeUnit.SECONDS.sleep(1); // the load runs for about a second before the application closes

        long closing = System.nanoTime();
        context.close();
        Duration closeTook = Duration.ofNanos(System.nanoTime() - closing);
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(15));
            assertThat(caller.isAlive()).as("%s still waiting", caller.getName()).isFalse();
        }
        System.out.printf("ShutdownUnderLoadTest: close took %d ms; %d calls completed, %d refused%n",
                closeTook.toMillis(), completed.get(), refused.get());

        assertThat(unexpected).isEmpty();
        assertThat(refused).hasValue(CALLERS);
        assertThat(completed.get()).isPositive();
        assertThat(closeTook).isLessThan(Duration.ofSeconds(5));
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("resilience-"))
                .filteredOn(t -> t.isAlive() && !t.isDaemon()).isEmpty();
    }
}
