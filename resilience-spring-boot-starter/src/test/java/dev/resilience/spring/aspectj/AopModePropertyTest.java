package dev.resilience.spring.aspectj;

import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.interceptor.ResilienceAnnotationBeanPostProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code resilience.aop.mode} without the weaver (this module's tests run without the agent): proxy mode by default,
 * and AspectJ mode refuses to start rather than leave every annotated method unprotected. The woven behaviour is
 * tested in the module resilience-aspectj-tests, whose JVM runs the weaver agent.
 */
class AopModePropertyTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @Test
    void proxyModeByDefault() {
        runner.run(context -> assertThat(context).hasSingleBean(ResilienceAnnotationBeanPostProcessor.class)
                .doesNotHaveBean(ResilienceAspectJPostProcessor.class));
    }

    @Test
    void proxyModeNeedsNoAspectJ() {
        runner.withClassLoader(new FilteredClassLoader("org.aspectj"))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ResilienceAnnotationBeanPostProcessor.class));
    }

    @Test
    void aspectjModeFailsStartUpWhenTheAspectWasNotWoven() {
        runner.withPropertyValues("resilience.aop.mode=aspectj").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ResilienceConfigurationException.class)
                    .hasMessageContaining("Property 'resilience.aop.mode' is 'aspectj'")
                    .hasMessageContaining("ResilienceAspect was not woven");
            ResilienceConfigurationException failure = (ResilienceConfigurationException) rootCause(context.getStartupFailure());
            assertThat(failure.action()).contains("-javaagent:").contains("META-INF/aop.xml").contains("resilience.aop.mode=proxy");
        });
    }

    @Test
    void aspectjModeFailsStartUpWithoutAspectJOnTheClassPath() {
        runner.withPropertyValues("resilience.aop.mode=ASPECTJ").withClassLoader(new FilteredClassLoader("org.aspectj"))
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ResilienceConfigurationException.class)
                            .hasMessageContaining("org.aspectj:aspectjweaver) is not on the class path");
                });
    }

    @Test
    void anUnknownModeFailsStartUpNamingTheProperty() {
        // Spring Boot's bind failure analysis then lists the allowed values (PROXY, ASPECTJ).
        runner.withPropertyValues("resilience.aop.mode=weaving").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("weaving");
            BindException bind = null;
            for (Throwable t = context.getStartupFailure(); t != null && bind == null; t = t.getCause()) {
                bind = t instanceof BindException found ? found : null;
            }
            assertThat(bind).isNotNull();
            assertThat(bind.getName()).hasToString("resilience.aop.mode");
            assertThat(bind.getTarget().getType().resolve()).isEqualTo(AopMode.class);
        });
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
