package dev.resilience.spring.interceptor;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.spring.autoconfigure.ResilienceFailureAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.Retryable;

import static org.assertj.core.api.Assertions.assertThat;

/** Misused annotations fail start-up with a failure analysis naming the bean, the method and the problem. */
class AnnotationStartupFailureTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    private FailureAnalysis analyze(Class<?> beanType) {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.withBean("offending", beanType).run(context -> {
            assertThat(context).hasFailed();
            result[0] = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(result[0]).as("a failure analysis").isNotNull();
        return result[0];
    }

    static class MissingFallback {
        @CircuitBreaker(name = "a", fallbackMethod = "nowhere")
        public String call(String id) {
            return id;
        }
    }

    static class IncompatibleFallback {
        @CircuitBreaker(name = "a", fallbackMethod = "wrongParameters")
        public String call(String id) {
            return id;
        }

        String wrongParameters(Integer id) {
            return "x";
        }
    }

    static class WrongFallbackReturnType {
        @Retry(name = "a", fallbackMethod = "asNumber")
        public String call(String id) {
            return id;
        }

        Integer asNumber(String id, Throwable t) {
            return 1;
        }
    }

    static class ThreadPoolOnBlockingMethod {
        @Bulkhead(name = "a", type = Bulkhead.Type.THREADPOOL)
        public String call() {
            return "x";
        }
    }

    static class WithSpringRetryable {
        @Retry(name = "a")
        @Retryable
        public String call() {
            return "x";
        }
    }

    static class WithSpringConcurrencyLimit {
        @Bulkhead(name = "a")
        @ConcurrencyLimit(2)
        public String call() {
            return "x";
        }
    }

    static class PrivateAnnotated {
        @Retry(name = "a")
        private String call() {
            return "x";
        }

        public String entry() {
            return call();
        }
    }

    static class FinalAnnotated {
        @Retry(name = "a")
        public final String call() {
            return "x";
        }
    }

    interface Lookup {
        String find(String id);
    }

    static class FinalInterfaceMethod implements Lookup {
        @Override
        @Retry(name = "a")
        public final String find(String id) {
            return id;
        }

        @Retry(name = "a")
        public final String notOnTheInterface() {
            return "x";
        }
    }

    static class FinalInterfaceMethodOnly implements Lookup {
        @Override
        @Retry(name = "a")
        public final String find(String id) {
            return id;
        }
    }

    static class DifferentFallbacks {
        @Retry(name = "a", fallbackMethod = "first")
        @CircuitBreaker(name = "a", fallbackMethod = "second")
        public String call() {
            return "x";
        }

        String first() {
            return "1";
        }

        String second() {
            return "2";
        }
    }

    static class SameFallbackTwice {
        @Retry(name = "a", fallbackMethod = "first")
        @CircuitBreaker(name = "a", fallbackMethod = "first")
        public String call() {
            return "x";
        }

        String first() {
            return "1";
        }
    }

    static class WrongGenericFallback {
        @Retry(name = "a", fallbackMethod = "numbers")
        public java.util.List<String> call() {
            return java.util.List.of();
        }

        java.util.List<Integer> numbers() {
            return java.util.List.of(1);
        }
    }

    static class WrongGenericAsyncFallback {
        @Retry(name = "a", fallbackMethod = "number")
        public java.util.concurrent.CompletableFuture<String> call() {
            return java.util.concurrent.CompletableFuture.completedFuture("x");
        }

        java.util.concurrent.CompletableFuture<Integer> number(Throwable t) {
            return java.util.concurrent.CompletableFuture.completedFuture(1);
        }
    }

    static class FallbackWithUndeclaredCheckedException {
        @Retry(name = "a", fallbackMethod = "reading")
        public String call() {
            return "x";
        }

        String reading(Throwable t) throws java.io.IOException {
            throw new java.io.IOException("disk");
        }
    }

    static class CompatibleFallbacks<T> {
        @Retry(name = "a", fallbackMethod = "empty")
        public java.util.List<? extends CharSequence> call() throws java.io.IOException {
            return java.util.List.of();
        }

        java.util.ArrayList<String> empty(Exception e) throws java.io.FileNotFoundException {
            return new java.util.ArrayList<>();
        }

        @Retry(name = "a", fallbackMethod = "any")
        public <V> V generic(Class<V> type) {
            return null;
        }

        <V> V any(Class<V> type, Throwable t) {
            return null;
        }
    }

    @Test
    void severalAnnotationsNamingDifferentFallbacks() {
        FailureAnalysis analysis = analyze(DifferentFallbacks.class);
        assertThat(analysis.getDescription()).contains("DifferentFallbacks.call()").contains("'first'").contains("'second'");
        assertThat(analysis.getAction()).contains("one fallback method");
    }

    @Test
    void severalAnnotationsNamingTheSameFallbackStartUp() {
        runner.withBean("fine", SameFallbackTwice.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void fallbackWithAnIncompatibleGenericReturnType() {
        assertThat(analyze(WrongGenericFallback.class).getDescription())
                .contains("WrongGenericFallback.call()").contains("'numbers'").contains("java.util.List<java.lang.String>");
    }

    @Test
    void asynchronousFallbackWithAnIncompatibleGenericReturnType() {
        assertThat(analyze(WrongGenericAsyncFallback.class).getDescription())
                .contains("WrongGenericAsyncFallback.call()").contains("'number'")
                .contains("java.util.concurrent.CompletableFuture<java.lang.String>");
    }

    @Test
    void fallbackDeclaringACheckedExceptionTheMethodDoesNotDeclare() {
        FailureAnalysis analysis = analyze(FallbackWithUndeclaredCheckedException.class);
        assertThat(analysis.getDescription()).contains("FallbackWithUndeclaredCheckedException.call()").contains("'reading'")
                .contains("java.io.IOException");
    }

    @Test
    void fallbacksWithAssignableGenericTypesAndDeclaredExceptionsStartUp() {
        runner.withBean("fine", CompatibleFallbacks.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void missingFallbackMethod() {
        FailureAnalysis analysis = analyze(MissingFallback.class);
        assertThat(analysis.getDescription()).contains("bean 'offending'").contains("MissingFallback.call(String)")
                .contains("'nowhere'").contains("no method named 'nowhere'");
        assertThat(analysis.getAction()).contains("Declare a method 'nowhere'");
    }

    @Test
    void fallbackWithIncompatibleParameters() {
        assertThat(analyze(IncompatibleFallback.class).getDescription())
                .contains("IncompatibleFallback.call(String)").contains("'wrongParameters'").contains("signature");
    }

    @Test
    void fallbackWithIncompatibleReturnType() {
        assertThat(analyze(WrongFallbackReturnType.class).getDescription())
                .contains("WrongFallbackReturnType.call(String)").contains("'asNumber'").contains("java.lang.String");
    }

    @Test
    void threadPoolBulkheadOnAMethodNotReturningCompletionStage() {
        FailureAnalysis analysis = analyze(ThreadPoolOnBlockingMethod.class);
        assertThat(analysis.getDescription()).contains("ThreadPoolOnBlockingMethod.call()").contains("THREADPOOL")
                .contains("CompletionStage");
        assertThat(analysis.getAction()).contains("CompletableFuture<String>");
    }

    @Test
    void springRetryableOnTheSameMethod() {
        assertThat(analyze(WithSpringRetryable.class).getDescription()).contains("@Retryable").contains("WithSpringRetryable.call()");
    }

    @Test
    void springConcurrencyLimitOnTheSameMethod() {
        assertThat(analyze(WithSpringConcurrencyLimit.class).getDescription()).contains("@ConcurrencyLimit");
    }

    @Test
    void annotationOnAPrivateMethod() {
        assertThat(analyze(PrivateAnnotated.class).getDescription()).contains("PrivateAnnotated.call").contains("private");
    }

    @Test
    void annotationOnAFinalMethodOfAClassProxy() {
        FailureAnalysis analysis = analyze(FinalAnnotated.class);
        assertThat(analysis.getDescription()).contains("FinalAnnotated.call").contains("final");
        assertThat(analysis.getAction()).contains("Remove 'final'");
    }

    @Test
    void annotationOnAFinalInterfaceMethodOfAClassProxy() {
        assertThat(analyze(FinalInterfaceMethodOnly.class).getDescription()).contains("FinalInterfaceMethodOnly.find").contains("final");
    }

    @Test
    void annotationOnAFinalMethodOutsideTheInterfacesOfAnInterfaceProxy() {
        FailureAnalysis[] result = new FailureAnalysis[1];
        runner.withPropertyValues("spring.aop.proxy-target-class=false").withBean("offending", FinalInterfaceMethod.class).run(context -> {
            assertThat(context).hasFailed();
            result[0] = new ResilienceFailureAnalyzer().analyze(context.getStartupFailure());
        });
        assertThat(result[0].getDescription()).contains("FinalInterfaceMethod.notOnTheInterface").contains("final");
    }

    @Test
    void aFinalInterfaceMethodIsProtectedThroughAnInterfaceProxy() {
        runner.withPropertyValues("spring.aop.proxy-target-class=false").withBean("lookup", FinalInterfaceMethodOnly.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(org.springframework.aop.support.AopUtils.isJdkDynamicProxy(context.getBean(Lookup.class))).isTrue();
                });
    }
}
