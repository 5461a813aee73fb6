package dev.resilience.spring.aot;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.bulkhead.BulkheadFullException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.spring.actuate.CircuitBreakersEndpoint;
import dev.resilience.spring.actuate.ResilienceEventsEndpoint;
import dev.resilience.spring.actuate.SettingsWrites;
import dev.resilience.spring.actuate.TimeoutsEndpoint;
import dev.resilience.spring.dashboard.DashboardSnapshot;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** The hints a native image needs, checked with {@link RuntimeHintsPredicates}. */
class ResilienceRuntimeHintsTest {

    /** A bean whose breaker and retry name fallbacks, one of them overloaded. */
    @CircuitBreaker(name = "inventory", fallbackMethod = "cached")
    static class InventoryClient {

        public String stock(String sku) {
            return sku;
        }

        @Retry(name = "shipping", fallbackMethod = "noShipping")
        public String ship(String sku) {
            return sku;
        }

        String cached(String sku) {
            return "cached";
        }

        String cached(String sku, IOException failure) {
            return "cached";
        }

        String noShipping(String sku, Throwable failure) {
            return "none";
        }

        String unrelated(String sku) {
            return "unrelated";
        }
    }

    @Test
    void theRegistrarsAndProcessorsAreListedInAotFactories() {
        assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
                .hasAtLeastOneElementOfType(ResilienceRuntimeHints.class);
        assertThat(AotServices.factories().load(BeanFactoryInitializationAotProcessor.class))
                .hasAtLeastOneElementOfType(ResilienceBeanFactoryInitializationAotProcessor.class);
    }

    @Test
    void endpointPayloadsAreRegisteredForJsonBinding() {
        RuntimeHints hints = new RuntimeHints();

        new ResilienceRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection().onType(CircuitBreakersEndpoint.CircuitBreakers.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                CircuitBreakersEndpoint.CircuitBreakerDescriptor.class, "failureRate")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(ResilienceEventsEndpoint.Events.class, "events"))
                .accepts(hints);
    }

    @Test
    void theAnswersOfEndpointWritesAreRegisteredForJsonBinding() {
        RuntimeHints hints = new RuntimeHints();

        new ResilienceRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SettingsWrites.Reconfigured.class, "changes")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(SettingsWrites.Refused.class, "action")).accepts(hints);
    }

    @Test
    void theTimeoutsEndpointPayloadIsRegisteredForJsonBinding() {
        RuntimeHints hints = new RuntimeHints();

        new ResilienceRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection()
                .onMethodInvocation(TimeoutsEndpoint.TimeoutDescriptor.class, "timeoutDuration")).accepts(hints);
    }

    @Test
    void theLivePageSnapshotAndFilesAreRegistered() {
        RuntimeHints hints = new RuntimeHints();

        new ResilienceRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection()
                .onMethodInvocation(DashboardSnapshot.CircuitBreakerTile.class, "failureRateThreshold")).accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/resilience/dashboard/index.html"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/resilience/dashboard/dashboard.js"))
                .accepts(hints);
    }

    @Test
    void theRejectionsARetryMayBeToldToRetryAreLoadableByName() {
        RuntimeHints hints = new RuntimeHints();

        new ResilienceRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(RuntimeHintsPredicates.reflection().onType(CallNotPermittedException.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(BulkheadFullException.class)).accepts(hints);
    }

    @Test
    void everyMethodAFallbackNamesIsInvocableAndNoOther() throws Exception {
        RuntimeHints hints = process(new MockEnvironment());

        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                InventoryClient.class.getDeclaredMethod("cached", String.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(
                InventoryClient.class.getDeclaredMethod("cached", String.class, IOException.class))).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(InventoryClient.class, "noShipping")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(InventoryClient.class, "unrelated"))
                .rejects(hints);
    }

    @Test
    void exceptionClassesNamedInPropertiesAreLoadableByName() {
        MockEnvironment environment = new MockEnvironment()
                .withProperty("resilience.circuitbreaker.instances.inventory.ignore-exceptions",
                        "java.io.FileNotFoundException, java.util.concurrent.TimeoutException")
                .withProperty("resilience.circuitbreaker.configs.default.record-exceptions[0]", "java.io.IOException")
                .withProperty("resilience.retry.instances.shipping.retry-exceptions", "java.net.ConnectException")
                .withProperty("resilience.retry.configs.backoff.retry-rejections",
                        "dev.resilience.ratelimiter.RequestNotPermittedException");

        RuntimeHints hints = process(environment);

        for (String name : new String[] {"java.io.FileNotFoundException", "java.util.concurrent.TimeoutException",
                "java.io.IOException", "java.net.ConnectException", "dev.resilience.ratelimiter.RequestNotPermittedException"}) {
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(name)))
                    .as(name).accepts(hints);
        }
    }

    @Test
    void anApplicationWithNothingToRegisterContributesNothing() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(String.class));

        assertThat(new ResilienceBeanFactoryInitializationAotProcessor().processAheadOfTime(beanFactory)).isNull();
    }

    /** Runs the processor over a bean factory holding {@link InventoryClient} and the environment. */
    private static RuntimeHints process(MockEnvironment environment) {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("inventoryClient", new RootBeanDefinition(InventoryClient.class));
        beanFactory.registerSingleton("environment", environment);
        BeanFactoryInitializationAotContribution contribution =
                new ResilienceBeanFactoryInitializationAotProcessor().processAheadOfTime(beanFactory);
        assertThat(contribution).isNotNull();
        GenerationContext generationContext = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get("dev.resilience.aottest", "Application")), new InMemoryGeneratedFiles());
        // The contribution only registers hints: it adds no initialization code, so it needs no code to add to.
        contribution.applyTo(generationContext, null);
        return generationContext.getRuntimeHints();
    }
}
