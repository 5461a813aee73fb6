package dev.resilience.spring.interceptor;

import dev.resilience.annotation.Retry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each retry attempt runs the advice that sits inside ours again, as a fresh call would. */
class InnerAdviceRetryTest {

    public static class Flaky {
        final AtomicInteger calls = new AtomicInteger();

        @Retry(name = "three")
        public String call() {
            calls.incrementAndGet();
            throw new IllegalStateException("down");
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.retry.instances.three.max-attempts=3", "resilience.retry.instances.three.wait-duration=0s");

    @Test
    void innerAdviceRunsForEveryAttempt() {
        AtomicInteger innerAdvice = new AtomicInteger();
        Flaky target = new Flaky();
        runner.withBean("flaky", Flaky.class, () -> {
            ProxyFactory factory = new ProxyFactory(target);
            factory.setProxyTargetClass(true);
            factory.addAdvice((MethodInterceptor) invocation -> {
                innerAdvice.incrementAndGet();
                return invocation.proceed();
            });
            return (Flaky) factory.getProxy();
        }).run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            assertThat(((Advised) flaky).getAdvisorCount()).isEqualTo(2);
            assertThatThrownBy(flaky::call).isInstanceOf(IllegalStateException.class);
            assertThat(target.calls).hasValue(3);
            assertThat(innerAdvice).hasValue(3);
        });
    }

    @Test
    void withOurAdviceAloneEveryAttemptStillReachesTheTarget() {
        Flaky target = new Flaky();
        runner.withBean("flaky", Flaky.class, () -> target).run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            assertThat(((Advised) flaky).getAdvisorCount()).isEqualTo(1);
            assertThatThrownBy(flaky::call).isInstanceOf(IllegalStateException.class);
            assertThat(target.calls).hasValue(3);
        });
    }

    @Test
    void adviceAddedToOurProxyLaterRunsForEveryAttemptAndNoLongerOnceRemoved() {
        Flaky target = new Flaky();
        runner.withBean("flaky", Flaky.class, () -> target).run(context -> {
            Flaky flaky = context.getBean(Flaky.class);
            AtomicInteger innerAdvice = new AtomicInteger();
            MethodInterceptor inner = invocation -> {
                innerAdvice.incrementAndGet();
                return invocation.proceed();
            };
            ((Advised) flaky).addAdvice(inner);
            assertThatThrownBy(flaky::call).isInstanceOf(IllegalStateException.class);
            assertThat(innerAdvice).hasValue(3);
            assertThat(target.calls).hasValue(3);

            ((Advised) flaky).removeAdvice(inner);
            assertThatThrownBy(flaky::call).isInstanceOf(IllegalStateException.class);
            assertThat(innerAdvice).hasValue(3);
            assertThat(target.calls).hasValue(6);
        });
    }
}
