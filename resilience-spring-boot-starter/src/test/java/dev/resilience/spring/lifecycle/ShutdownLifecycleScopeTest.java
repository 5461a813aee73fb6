package dev.resilience.spring.lifecycle;

import dev.resilience.annotation.Retry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.AopTestUtils;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Retries stop when our own context's shutdown phase begins: not when another context closes, nor earlier phases. */
class ShutdownLifecycleScopeTest {

    public static class Flaky {
        final AtomicInteger attempts = new AtomicInteger();

        @Retry(name = "flaky")
        public String call() {
            attempts.incrementAndGet();
            throw new IllegalStateException("down");
        }
    }

    /** Stands for the web server's graceful drain: a phase that stops just before ours. */
    public static class EarlierPhase implements SmartLifecycle {
        private final Flaky flaky;
        final AtomicInteger attemptsWhileStopping = new AtomicInteger(-1);
        private volatile boolean running;

        public EarlierPhase(Flaky flaky) {
            this.flaky = flaky;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            Flaky target = AopTestUtils.getUltimateTargetObject(flaky);
            target.attempts.set(0);
            assertThatThrownBy(flaky::call).isInstanceOf(IllegalStateException.class);
            attemptsWhileStopping.set(target.attempts.get());
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return ResilienceShutdownLifecycle.PHASE + 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class App {
        @Bean
        Flaky flaky() {
            return new Flaky();
        }

        @Bean
        EarlierPhase earlierPhase(Flaky flaky) {
            return new EarlierPhase(flaky);
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("spring.main.banner-mode=off", "resilience.retry.instances.flaky.max-attempts=3",
                        "resilience.retry.instances.flaky.wait-duration=0s").run();
    }

    @Test
    void closingAChildContextLeavesTheParentsRetriesRetrying() {
        try (ConfigurableApplicationContext parent = start()) {
            AnnotationConfigApplicationContext child = new AnnotationConfigApplicationContext();
            child.setParent(parent);
            child.refresh();
            child.close();

            Flaky flaky = parent.getBean(Flaky.class);
            assertThatThrownBy(flaky::call).isInstanceOf(IllegalStateException.class);
            assertThat(AopTestUtils.<Flaky>getUltimateTargetObject(flaky).attempts).hasValue(3);
        }
    }

    @Test
    void callsMadeInAPhaseThatStopsBeforeOursStillRetry() {
        ConfigurableApplicationContext context = start();
        EarlierPhase earlier = context.getBean(EarlierPhase.class);
        context.close();
        assertThat(earlier.attemptsWhileStopping).hasValue(3);
    }
}
