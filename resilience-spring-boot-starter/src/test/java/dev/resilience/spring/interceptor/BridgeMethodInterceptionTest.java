package dev.resilience.spring.interceptor;

import dev.resilience.annotation.Retry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.test.util.AopTestUtils;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A call that reaches an annotated method through a bridge (a generic interface, a generic base class, a covariant
 * return type) is protected like a direct call, through class and interface proxies alike.
 */
class BridgeMethodInterceptionTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.retry.instances.three.max-attempts=3", "resilience.retry.instances.three.wait-duration=0s");

    interface Handler<T> {
        T handle(T value);
    }

    static class StringHandler implements Handler<String> {
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        @Retry(name = "three")
        public String handle(String value) {
            attempts.incrementAndGet();
            throw new IllegalStateException("down");
        }
    }

    abstract static class CrudService<T> {
        public abstract T save(T value);
    }

    static class StringCrud extends CrudService<String> {
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        @Retry(name = "three")
        public String save(String value) {
            attempts.incrementAndGet();
            throw new IllegalStateException("down");
        }
    }

    static class Loader {
        public Object load() {
            return "base";
        }
    }

    static class StringLoader extends Loader {
        final AtomicInteger attempts = new AtomicInteger();

        @Override
        @Retry(name = "three")
        public String load() {
            attempts.incrementAndGet();
            throw new IllegalStateException("down");
        }
    }

    @Test
    void aCallThroughAGenericInterfaceIsRetriedUnderAClassProxy() {
        runner.withBean(StringHandler.class).run(context -> {
            @SuppressWarnings("unchecked")
            Handler<String> handler = context.getBean(StringHandler.class);
            assertThat(AopUtils.isCglibProxy(handler)).isTrue();
            assertThatThrownBy(() -> handler.handle("x")).isInstanceOf(IllegalStateException.class);
            assertThat(AopTestUtils.<StringHandler>getUltimateTargetObject(handler).attempts).hasValue(3);
        });
    }

    @Test
    void aCallThroughAGenericInterfaceIsRetriedUnderAJdkProxy() {
        runner.withPropertyValues("spring.aop.proxy-target-class=false").withBean(StringHandler.class).run(context -> {
            @SuppressWarnings("unchecked")
            Handler<String> handler = context.getBean(Handler.class);
            assertThat(AopUtils.isJdkDynamicProxy(handler)).isTrue();
            assertThatThrownBy(() -> handler.handle("x")).isInstanceOf(IllegalStateException.class);
            assertThat(AopTestUtils.<StringHandler>getUltimateTargetObject(handler).attempts).hasValue(3);
        });
    }

    @Test
    void aCallThroughAGenericBaseClassIsRetried() {
        runner.withBean(StringCrud.class).run(context -> {
            CrudService<String> crud = context.getBean(StringCrud.class);
            assertThatThrownBy(() -> crud.save("x")).isInstanceOf(IllegalStateException.class);
            assertThat(AopTestUtils.<StringCrud>getUltimateTargetObject(crud).attempts).hasValue(3);
        });
    }

    @Test
    void aCallThroughTheOverriddenMethodOfACovariantOverrideIsRetried() {
        runner.withBean(StringLoader.class).run(context -> {
            Loader loader = context.getBean(StringLoader.class);
            assertThatThrownBy(loader::load).isInstanceOf(IllegalStateException.class);
            assertThat(AopTestUtils.<StringLoader>getUltimateTargetObject(loader).attempts).hasValue(3);
        });
    }

    @Test
    void aDirectCallToACovariantOverrideIsRetried() {
        runner.withBean(StringLoader.class).run(context -> {
            StringLoader loader = context.getBean(StringLoader.class);
            assertThatThrownBy(loader::load).isInstanceOf(IllegalStateException.class);
            assertThat(AopTestUtils.<StringLoader>getUltimateTargetObject(loader).attempts).hasValue(3);
        });
    }
}
