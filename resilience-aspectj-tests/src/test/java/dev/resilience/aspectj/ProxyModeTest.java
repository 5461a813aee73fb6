package dev.resilience.aspectj;

import dev.resilience.circuitbreaker.CallNotPermittedException;
import dev.resilience.circuitbreaker.CircuitBreaker;
import dev.resilience.spring.ResilienceRegistries;
import dev.resilience.spring.aspectj.ResilienceAspectJPostProcessor;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.interceptor.ResilienceAnnotationBeanPostProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.AopTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proxy mode (the default) in the same JVM, with the weaver on and the same woven classes: it works as it always has,
 * and the self-invocation trap is still there (the README's "Self-invocation" section).
 */
class ProxyModeTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.circuitbreaker.configs.default.sliding-window-size=4",
                    "resilience.circuitbreaker.configs.default.minimum-number-of-calls=4",
                    "resilience.circuitbreaker.configs.default.failure-rate-threshold=50",
                    "resilience.circuitbreaker.configs.default.wait-duration-in-open-state=1h")
            .withBean(StockService.class);

    @Test
    void proxyModeIsTheDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ResilienceAnnotationBeanPostProcessor.class)
                    .doesNotHaveBean(ResilienceAspectJPostProcessor.class);
            assertThat(AopUtils.isAopProxy(context.getBean(StockService.class))).isTrue();
        });
    }

    @Test
    void callsThroughTheProxyOpenTheBreakerAfterExactlyFourFailures() {
        runner.run(context -> {
            StockService service = context.getBean(StockService.class);
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> service.fetch("A1")).isInstanceOf(IllegalStateException.class);
            }
            assertThatThrownBy(() -> service.fetch("A1")).isInstanceOf(CallNotPermittedException.class);
            assertThat(AopTestUtils.<StockService>getUltimateTargetObject(service).fetches).hasValue(4);
        });
    }

    /** The trap: lookup calls fetch on {@code this}, the bean itself, not on its proxy. */
    @Test
    void aSelfInvocationIsNotProtectedInProxyMode() {
        runner.run(context -> {
            StockService service = context.getBean(StockService.class);
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> service.lookup("A1")).isInstanceOf(IllegalStateException.class);
            }
            assertThat(AopTestUtils.<StockService>getUltimateTargetObject(service).fetches).hasValue(10);
            CircuitBreaker breaker = context.getBean(ResilienceRegistries.class).circuitBreakers().get("stock");
            assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(breaker.metrics().bufferedCalls()).isZero();
        });
    }

    /** The way out in proxy mode: lookup calls fetch through the bean's own proxy, injected lazily into itself. */
    @Test
    void aCallThroughTheBeansOwnProxyIsProtected() {
        runner.withBean(SelfInjectedService.class).run(context -> {
            SelfInjectedService service = context.getBean(SelfInjectedService.class);
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> service.lookup("A1")).isInstanceOf(IllegalStateException.class);
            }
            assertThatThrownBy(() -> service.lookup("A1")).isInstanceOf(CallNotPermittedException.class);
            assertThat(AopTestUtils.<SelfInjectedService>getUltimateTargetObject(service).fetches).hasValue(4);
        });
    }
}
