package dev.resilience.spring.interceptor;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Timeout;
import dev.resilience.spring.ResilienceConfigurationException;
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.annotation.Async;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A method whose return type carries work that runs after the method has returned, and that no policy can follow
 * to its end, fails start-up naming the method: it would otherwise run unprotected without a word.
 */
class DeferredReturnTypeStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    static class PlainFuture {
        private final ExecutorService pool = Executors.newSingleThreadExecutor();

        @Timeout(name = "slow")
        public Future<String> slow() {
            return pool.submit(() -> "late");
        }
    }

    static class FutureTaskReturned {
        @CircuitBreaker(name = "task")
        public FutureTask<String> task() {
            return new FutureTask<>(() -> "later");
        }
    }

    static class CallableReturned {
        @Bulkhead(name = "mvc")
        public Callable<String> handle() {
            return () -> "later";
        }
    }

    static class DeferredResultReturned {
        @CircuitBreaker(name = "mvc")
        public DeferredResult<String> handle() {
            return new DeferredResult<>();
        }
    }

    static class EmitterReturned {
        @CircuitBreaker(name = "mvc")
        public SseEmitter stream() {
            return new SseEmitter();
        }
    }

    static class AsyncFuture {
        @Async
        @CircuitBreaker(name = "async")
        public Future<String> run() {
            return CompletableFuture.completedFuture("done");
        }
    }

    @Async
    static class AsyncClassFuture {
        @CircuitBreaker(name = "async")
        public Future<String> run() {
            return CompletableFuture.completedFuture("done");
        }
    }

    static class CompletableFutureReturned {
        @Timeout(name = "fine")
        public CompletableFuture<String> run() {
            return CompletableFuture.completedFuture("done");
        }
    }

    private ResilienceConfigurationException failureOf(Class<?> beanType) {
        ResilienceConfigurationException[] failure = new ResilienceConfigurationException[1];
        runner.withBean(beanType).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ResilienceConfigurationException.class);
            Throwable root = context.getStartupFailure();
            while (root.getCause() != null) {
                root = root.getCause();
            }
            failure[0] = (ResilienceConfigurationException) root;
        });
        return failure[0];
    }

    @Test
    void aMethodReturningAPlainFutureFailsStartUpNamingTheMethodAndWhatToReturnInstead() {
        ResilienceConfigurationException failure = failureOf(PlainFuture.class);

        assertThat(failure).hasMessageContaining(PlainFuture.class.getName() + ".slow()")
                .hasMessageContaining("java.util.concurrent.Future<java.lang.String>")
                .hasMessageContaining("the policies would protect nothing but the starting of the work");
        assertThat(failure.action()).contains("Return CompletableFuture").contains("@Async");
    }

    @Test
    void aMethodReturningAFutureImplementationThatIsNoCompletionStageFailsStartUp() {
        assertThat(failureOf(FutureTaskReturned.class))
                .hasMessageContaining(FutureTaskReturned.class.getName() + ".task()")
                .hasMessageContaining("java.util.concurrent.FutureTask<java.lang.String>");
    }

    @Test
    void aMethodReturningACallableFailsStartUpNamingTheMethod() {
        assertThat(failureOf(CallableReturned.class))
                .hasMessageContaining(CallableReturned.class.getName() + ".handle()")
                .hasMessageContaining("java.util.concurrent.Callable<java.lang.String>")
                .hasMessageContaining("runs after the method has returned");
    }

    @Test
    void aMethodReturningSpringMvcsDeferredResultFailsStartUpNamingTheMethod() {
        assertThat(failureOf(DeferredResultReturned.class))
                .hasMessageContaining(DeferredResultReturned.class.getName() + ".handle()")
                .hasMessageContaining("DeferredResult<java.lang.String>");
    }

    @Test
    void aMethodReturningAnEmitterFailsStartUpNamingTheMethod() {
        assertThat(failureOf(EmitterReturned.class))
                .hasMessageContaining(EmitterReturned.class.getName() + ".stream()")
                .hasMessageContaining("SseEmitter");
    }

    @Test
    void anAsyncMethodReturningAFutureStartsBecauseThePoliciesRunOnTheExecutorThread() {
        runner.withBean(AsyncFuture.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aMethodOfAnAsyncClassReturningAFutureStarts() {
        runner.withBean(AsyncClassFuture.class).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aMethodReturningACompletableFutureStarts() {
        runner.withBean(CompletableFutureReturned.class).run(context -> assertThat(context).hasNotFailed());
    }
}
