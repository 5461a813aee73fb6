package dev.resilience.spring.keyed;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.RateLimited;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A key that cannot work fails start-up, naming the bean, the method and the expression. */
class KeyedStartupFailureTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    private FailureAnalysis analyze(Class<?>... beanTypes) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        ApplicationContextRunner withBeans = runner;
        for (int i = 0; i < beanTypes.length; i++) {
            withBeans = withBeans.withBean("offending" + i, beanTypes[i]);
        }
        withBeans.run(context -> {
            assertThat(context).hasFailed();
            result[0] = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(result[0]).as("a failure analysis").isNotNull();
        return result[0];
    }

    static class BadSyntax {
        @RateLimited(name = "api", key = "#tenant +")
        public String call(String tenant) {
            return tenant;
        }
    }

    static class UnknownVariable {
        @RateLimited(name = "api", key = "#tenantId")
        public String call(String tenant) {
            return tenant;
        }
    }

    static class KeyedThreadPool {
        @Bulkhead(name = "pool", type = Bulkhead.Type.THREADPOOL, key = "#tenant")
        public CompletableFuture<String> call(String tenant) {
            return CompletableFuture.completedFuture(tenant);
        }
    }

    static class Keyed {
        @RateLimited(name = "shared", key = "#tenant")
        public String call(String tenant) {
            return tenant;
        }
    }

    static class Unkeyed {
        @RateLimited(name = "shared")
        public String call(String tenant) {
            return tenant;
        }
    }

    @Test
    void badExpressionSyntaxFailsStartUp() {
        FailureAnalysis analysis = analyze(BadSyntax.class);

        assertThat(analysis.getDescription())
                .contains(BadSyntax.class.getName() + ".call(String)", "'offending0'", "'#tenant +'", "cannot be parsed");
        assertThat(analysis.getAction()).contains("key expression");
    }

    @Test
    void variableThatIsNoArgumentFailsStartUp() {
        FailureAnalysis analysis = analyze(UnknownVariable.class);

        assertThat(analysis.getDescription()).contains(UnknownVariable.class.getName() + ".call(String)", "#tenantId",
                "not among the method's arguments", "tenant");
    }

    @Test
    void keyOnAThreadPoolBulkheadFailsStartUp() {
        FailureAnalysis analysis = analyze(KeyedThreadPool.class);

        assertThat(analysis.getDescription()).contains(KeyedThreadPool.class.getName() + ".call(String)", "THREADPOOL",
                "not supported");
        assertThat(analysis.getAction()).contains("SEMAPHORE");
    }

    @Test
    void oneNameUsedWithAndWithoutAKeyFailsStartUp() {
        assertThat(analyze(Keyed.class, Unkeyed.class).getDescription()).contains("'shared'", "with a key");
        assertThat(analyze(Unkeyed.class, Keyed.class).getDescription()).contains("'shared'", "without a key");
    }
}
