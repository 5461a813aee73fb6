package dev.resilience.aspectj;

import dev.resilience.ShutdownInProgressException;
import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.core.ShutdownGate;
import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.aspectj.ResilienceAspectJPostProcessor;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.interceptor.ResilienceAnnotationBeanPostProcessor;
import dev.resilience.unwoven.UnwovenService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code resilience.aop.mode=aspectj} with the load-time weaver (this module's tests run with the agent and
 * src/test/resources/META-INF/aop.xml): woven methods run through the same chains as proxied ones, whoever calls them.
 */
@ExtendWith(OutputCaptureExtension.class)
class AspectJModeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.aop.mode=aspectj",
                    "resilience.circuitbreaker.configs.default.sliding-window-size=4",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=4",
                    "resilience.circuitbreaker.configs.default.failure-rate-threshold=50",
                    "resilience.circuitbreaker.configs.default.wait-duration-in-open-state=1h",
                    "resilience.retry.instances.stock.max-attempts=3",
                    "resilience.retry.instances.stock.wait-duration=0s",
                    "resilience.thread-pool-bulkhead.instances.pool.core-thread-pool-size=1",
                    "resilience.thread-pool-bulkhead.instances.pool.max-thread-pool-size=1")
            .withBean(StockService.class);

    private static CircuitBreaker breaker(org.springframework.context.ApplicationContext context, String name) {
        return context.getBean(ResilienceRegistries.class).circuitBreakers().get(name);
    }

    @Test
    void noProxyIsCreatedAndTheProxyPostProcessorIsNotRegistered() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ResilienceAspectJPostProcessor.class)
                    .doesNotHaveBean(ResilienceAnnotationBeanPostProcessor.class);
            assertThat(AopUtils.isAopProxy(context.getBean(StockService.class))).isFalse();
        });
    }

    @Test
    void aSelfInvocationOpensTheBreakerAfterExactlyFourFailures() {
        runner.run(context -> {
            StockService service = context.getBean(StockService.class);
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> service.lookup("A1")).isInstanceOf(IllegalStateException.class);
            }
            assertThatThrownBy(() -> service.lookup("A1")).isInstanceOf(CallNotPermittedException.class)
                    .hasMessageContaining("stock");
            assertThat(service.fetches).hasValue(4);
            assertThat(breaker(context, "stock").state()).isEqualTo(CircuitBreaker.State.OPEN);
            assertThat(breaker(context, "stock").metrics().failedCalls()).isEqualTo(4);
        });
    }

    @Test
    void aSelfInvokedMethodsFallbackGetsItsFailuresThenTheRejection() {
        runner.run(context -> {
            StockService service = context.getBean(StockService.class);
            for (int i = 0; i < 4; i++) {
                assertThat(service.lookupOrCached("B2")).isEqualTo("cached B2 after IllegalStateException");
            }
            assertThat(service.lookupOrCached("B2")).isEqualTo("cached B2 after CallNotPermittedException");
            assertThat(service.fetches).hasValue(4);
        });
    }

    @Test
    void aSelfInvokedRetryProceedsOnceForEachAttempt() {
        runner.run(context -> {
            StockService service = context.getBean(StockService.class);
            assertThat(service.lookupRetried("C3")).isEqualTo("stock of C3 on attempt 3");
            assertThat(service.fetches).hasValue(3);
        });
    }

    @Test
    void aSelfInvokedThreadPoolBulkheadRunsTheWovenMethodOnItsPool() {
        runner.run(context -> {
            StockService service = context.getBean(StockService.class);
            assertThat(service.lookupOnPool().get(10, TimeUnit.SECONDS)).startsWith("resilience-pool");
        });
    }

    @Test
    void aSelfInvocationIsRefusedOnceShutdownBegins() {
        runner.run(context -> {
            StockService service = context.getBean(StockService.class);
            context.getBean(ShutdownGate.class).close();
            assertThatThrownBy(() -> service.lookup("D4")).isInstanceOf(ShutdownInProgressException.class);
            assertThat(service.fetches).hasValue(0);
        });
    }

    @Test
    void anObjectSpringDoesNotManageIsProtectedEvenInItsPrivateMethods() {
        runner.run(context -> {
            PlainCatalog catalog = new PlainCatalog();
            for (int i = 0; i < 4; i++) {
                assertThat(catalog.describe("E5")).isEqualTo("no description of E5");
            }
            // The fallback accepts IllegalStateException only: the rejection reaches the caller.
            assertThatThrownBy(() -> catalog.describe("E5")).isInstanceOf(CallNotPermittedException.class);
            assertThat(catalog.fetches).hasValue(4);
            assertThat(breaker(context, "catalog").state()).isEqualTo(CircuitBreaker.State.OPEN);
        });
    }

    @Test
    void aClassLevelAnnotationProtectsThePublicMethodsOfAPlainObject() {
        runner.run(context -> {
            ClassLevelGateway gateway = new ClassLevelGateway();
            // sendAll is public too, so each call passes the breaker twice (sendAll, then post): 2 calls, 4 failures.
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> gateway.sendAll("hello")).isInstanceOf(IllegalStateException.class);
            }
            assertThatThrownBy(() -> gateway.sendAll("hello")).isInstanceOf(CallNotPermittedException.class);
            assertThat(gateway.posts).hasValue(2);
            assertThat(breaker(context, "gateway").metrics().failedCalls()).isEqualTo(4);
        });
    }

    @Test
    void aMisusedAnnotationOnAPlainObjectFailsEachCallInsteadOfRunningUnprotected() {
        runner.run(context -> {
            MisusedFallback misused = new MisusedFallback();
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(misused::call).isInstanceOf(ResilienceConfigurationException.class)
                        .hasMessageContaining("MisusedFallback.call()").hasMessageContaining("'missing'");
            }
            assertThat(misused.calls).hasValue(0);
        });
    }

    @Test
    void aMisusedAnnotationOnABeanFailsStartUp() {
        runner.withBean(MisusedFallback.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ResilienceConfigurationException.class)
                    .hasMessageContaining("MisusedFallback.call() of bean 'misusedFallback'").hasMessageContaining("'missing'");
        });
    }

    @Test
    void anAnnotationTheWeaverDoesNotSeeFailsStartUpNamingTheMethod() {
        runner.withBean(InterfaceAnnotated.Implementation.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ResilienceConfigurationException.class)
                    .hasMessageContaining("InterfaceAnnotated$Implementation.call")
                    .hasMessageContaining("where the AspectJ weaver does not look");
        });
    }

    @Test
    void aBeanWhoseClassWasNotWovenIsReportedAtStartUp(CapturedOutput output) {
        runner.withBean(UnwovenService.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("Method dev.resilience.unwoven.UnwovenService.call of bean")
                    .contains("was not woven by AspectJ").contains("<include within=\"dev.resilience.unwoven..*\"/>");
        });
    }

    @Test
    void aWovenMethodCalledWithNoContextRunsUnprotectedAndSaysSoOnce(CapturedOutput output) {
        UnboundCatalog catalog = new UnboundCatalog();
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(catalog::fetch).isInstanceOf(IllegalStateException.class);
        }
        assertThat(catalog.fetches).hasValue(6);
        assertThat(warningsAbout(output, "dev.resilience.aspectj.UnboundCatalog.fetch")).isEqualTo(1);
    }

    @Test
    void aWovenMethodCalledAfterItsContextClosedRunsUnprotectedAndSaysSoOnce(CapturedOutput output) {
        ClosedCatalog[] kept = new ClosedCatalog[1];
        runner.run(context -> {
            kept[0] = new ClosedCatalog();
            assertThat(kept[0].fetch()).isEqualTo("fetched");
            assertThat(breaker(context, "closed").metrics().bufferedCalls()).isEqualTo(1);
        });
        assertThat(kept[0].fetch()).isEqualTo("fetched");
        assertThat(kept[0].fetch()).isEqualTo("fetched");
        assertThat(kept[0].fetches).hasValue(3);
        assertThat(warningsAbout(output, "dev.resilience.aspectj.ClosedCatalog.fetch")).isEqualTo(1);
    }

    private static int warningsAbout(CapturedOutput output, String method) {
        String text = "Method " + method + " is woven by dev.resilience.spring.aspectj.ResilienceAspect but runs UNPROTECTED";
        return output.getAll().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }
}
