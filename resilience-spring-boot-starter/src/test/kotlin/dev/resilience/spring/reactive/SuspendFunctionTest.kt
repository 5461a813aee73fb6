package dev.resilience.spring.reactive

import dev.resilience.annotation.Bulkhead
import dev.resilience.annotation.CircuitBreaker
import dev.resilience.annotation.Retry
import dev.resilience.annotation.Timeout
import dev.resilience.circuitbreaker.CallNotPermittedException
import dev.resilience.core.ShutdownGate
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration
import dev.resilience.spring.ResilienceRegistries
import dev.resilience.timeout.TimeoutExceededException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.awaitility.Awaitility.await
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.test.util.AopTestUtils
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger

/** Kotlin suspend functions reach our interceptor as publishers (Spring AOP's coroutine bridge) and are protected per call. */
open class SuspendService {
    val runs = AtomicInteger()
    val entered = CompletableDeferred<Unit>()
    val release = CompletableDeferred<Unit>()

    @Retry(name = "three")
    open suspend fun flaky(): String {
        runs.incrementAndGet()
        throw IllegalStateException("down")
    }

    @Retry(name = "three")
    open suspend fun secondTimeLucky(): String {
        if (runs.incrementAndGet() < 2) {
            throw IllegalStateException("down")
        }
        return "stock"
    }

    @CircuitBreaker(name = "breaker")
    open suspend fun failing(): String {
        throw IllegalStateException("down")
    }

    @Timeout(name = "short")
    open suspend fun never(): String = awaitCancellation()

    @Bulkhead(name = "single")
    open suspend fun held(): String {
        entered.complete(Unit)
        release.await()
        return "done"
    }
}

class SuspendFunctionTest {

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration::class.java, ResilienceReactiveAutoConfiguration::class.java))
        .withPropertyValues(
            "resilience.retry.instances.three.max-attempts=3",
            "resilience.retry.instances.three.wait-duration=1ms",
            "resilience.circuitbreaker.instances.breaker.sliding-window-size=2",
            "resilience.circuitbreaker.instances.breaker.minimum-number-of-calls=2",
            "resilience.timeout.instances.short.timeout-duration=50ms",
            "resilience.bulkhead.instances.single.max-concurrent-calls=1",
            "resilience.bulkhead.instances.single.max-wait-duration=0s")

    @Test
    fun `a retry runs the body of a suspend function again for each attempt`() {
        runner.withBean(SuspendService::class.java).run { context ->
            val service = context.getBean(SuspendService::class.java)
            assertThatThrownBy { runBlocking { service.flaky() } }
                .isInstanceOf(IllegalStateException::class.java).hasMessage("down")
            assertThat(AopTestUtils.getUltimateTargetObject<SuspendService>(service).runs).hasValue(3)

            assertThat(runBlocking { service.secondTimeLucky() }).isEqualTo("stock")
        }
    }

    @Test
    fun `failing suspend calls open the breaker and the next is rejected`() {
        runner.withBean(SuspendService::class.java).run { context ->
            val service = context.getBean(SuspendService::class.java)
            repeat(2) {
                assertThatThrownBy { runBlocking { service.failing() } }.isInstanceOf(IllegalStateException::class.java)
            }
            assertThatThrownBy { runBlocking { service.failing() } }.isInstanceOf(CallNotPermittedException::class.java)
        }
    }

    @Test
    fun `a timeout cancels a suspend function that never returns`() {
        runner.withBean(SuspendService::class.java).run { context ->
            val service = context.getBean(SuspendService::class.java)
            // The test's own bound, so that a timeout that does not work fails the test instead of hanging it.
            assertThatThrownBy { runBlocking { withTimeout(10_000) { service.never() } } }
                .isInstanceOf(TimeoutExceededException::class.java)
        }
    }

    @Test
    fun `a bulkhead permit and the shutdown gate are held while the suspend function runs`() {
        runner.withBean(SuspendService::class.java).run { context ->
            val service = context.getBean(SuspendService::class.java)
            val target = AopTestUtils.getUltimateTargetObject<SuspendService>(service)
            val bulkhead = context.getBean(ResilienceRegistries::class.java).bulkheads().get("single")
            val gate = context.getBean(ShutdownGate::class.java)
            runBlocking {
                withTimeout(10_000) {
                    val first = async(Dispatchers.Default) { service.held() }
                    target.entered.await()
                    assertThat(bulkhead.metrics().availableConcurrentCalls()).isZero()
                    assertThat(gate.inFlight()).isEqualTo(1)

                    target.release.complete(Unit)
                    assertThat(first.await()).isEqualTo("done")
                }
            }
            assertThat(bulkhead.metrics().availableConcurrentCalls()).isEqualTo(1)
            // The gate counts the subscription until just after its terminal signal, which resumed the caller on
            // another thread: it is left a moment later.
            await().atMost(Duration.ofSeconds(5)).until { gate.inFlight() == 0L }
        }
    }
}
