package dev.resilience.spring.interceptor;

import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class JdkProxyTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.retry.instances.three.max-attempts=3", "resilience.retry.instances.three.wait-duration=0s")
            .withBean(AnnotatedServices.Pricing.class, AnnotatedServices.DefaultPricing::new);

    @Test
    void annotationsOnTheImplementationApplyThroughAJdkProxy() {
        runner.withPropertyValues("spring.aop.proxy-target-class=false").run(context -> {
            AnnotatedServices.Pricing pricing = context.getBean(AnnotatedServices.Pricing.class);
            assertThat(AopUtils.isJdkDynamicProxy(pricing)).isTrue();
            assertThat(pricing.price("a")).isEqualTo("42 a");
        });
    }

    @Test
    void annotationsApplyThroughAClassProxyByDefault() {
        runner.run(context -> {
            AnnotatedServices.Pricing pricing = context.getBean(AnnotatedServices.Pricing.class);
            assertThat(AopUtils.isCglibProxy(pricing)).isTrue();
            assertThat(pricing.price("b")).isEqualTo("42 b");
        });
    }
}
