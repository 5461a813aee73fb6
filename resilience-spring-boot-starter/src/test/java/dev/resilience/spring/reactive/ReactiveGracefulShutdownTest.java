package dev.resilience.spring.reactive;

import dev.resilience.GracefulShutdown;
import dev.resilience.ShutdownInProgressException;
import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.lifecycle.ResilienceShutdownLifecycle;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.AopTestUtils;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The graceful drain waits for reactive subscriptions in flight, and refuses new ones as error signals. */
class ReactiveGracefulShutdownTest {

    // The system clock: the drain polls the gate on it.
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceReactiveAutoConfiguration.class))
            .withBean(ReactiveServices.Patterns.class)
            .withPropertyValues("resilience.shutdown.timeout=10s");

    @Test
    void theDrainWaitsForASubscriptionInFlightAndRefusesNewOnes() {
        runner.run(context -> {
            ReactiveServices.Patterns service = context.getBean(ReactiveServices.Patterns.class);
            ReactiveServices.Patterns state = AopTestUtils.getUltimateTargetObject(service);
            ShutdownGate gate = context.getBean(ShutdownGate.class);
            ResilienceShutdownLifecycle lifecycle = context.getBean(ResilienceShutdownLifecycle.class);
            List<String> values = new CopyOnWriteArrayList<>();
            Mono<String> assembledBeforeShutdown = service.limited();
            service.held().subscribe(values::add);
            assertThat(gate.inFlight()).isEqualTo(1);

            CountDownLatch stopped = new CountDownLatch(1);
            lifecycle.stop(stopped::countDown);
            await().atMost(Duration.ofSeconds(5)).until(gate::isClosed);

            StepVerifier.create(assembledBeforeShutdown).expectError(ShutdownInProgressException.class).verify(Duration.ofSeconds(5));
            assertThat(stopped.getCount()).as("the drain still waits for the subscription in flight").isEqualTo(1);
            assertThat(lifecycle.lastReport()).isNull();

            state.release.tryEmitEmpty();

            assertThat(stopped.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(values).containsExactly("done");
            GracefulShutdown.Report report = lifecycle.lastReport();
            assertThat(report.inFlight()).isEqualTo(1);
            assertThat(report.finished()).isEqualTo(1);
            assertThat(report.abandoned()).isZero();
        });
    }
}
