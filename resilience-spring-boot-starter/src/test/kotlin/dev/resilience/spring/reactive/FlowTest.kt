package dev.resilience.spring.reactive

import dev.resilience.annotation.CircuitBreaker
import dev.resilience.annotation.Retry
import dev.resilience.spring.ResilienceConfigurationException
import dev.resilience.spring.ResilienceRegistries
import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration
import dev.resilience.spring.interceptor.ReactiveMethodSupport
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.flowOf
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.junit.jupiter.api.Test
import org.springframework.boot.autoconfigure.AutoConfigurations
import org.springframework.boot.test.context.runner.ApplicationContextRunner
import org.springframework.core.ReactiveAdapter
import org.springframework.core.ReactiveAdapterRegistry
import org.springframework.test.util.AopTestUtils
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/** Methods returning Kotlin's Flow: Spring adapts it to a Flux (with kotlinx-coroutines-reactor), protected per collection. */
open class FlowService {
    val calls = AtomicInteger()
    val collections = AtomicInteger()
    val received = CopyOnWriteArrayList<Throwable>()

    @CircuitBreaker(name = "breaker")
    open fun prices(): Flow<Int> {
        calls.incrementAndGet()
        return flow {
            collections.incrementAndGet()
            emit(1)
            emit(2)
        }
    }

    @CircuitBreaker(name = "breaker")
    open fun failingMidStream(): Flow<Int> = flow {
        collections.incrementAndGet()
        emit(1)
        throw IllegalStateException("down mid-stream")
    }

    @CircuitBreaker(name = "breaker")
    open fun endless(): Flow<Int> = flow {
        emit(1)
        awaitCancellation()
    }

    @Retry(name = "three")
    open fun thirdTimeLucky(): Flow<Int> = flow {
        val attempt = collections.incrementAndGet()
        emit(attempt * 10)
        if (attempt < 3) {
            throw IllegalStateException("down")
        }
        emit(attempt * 10 + 1)
    }

    @CircuitBreaker(name = "breaker", fallbackMethod = "cachedPrices")
    open fun withFallback(): Flow<Int> = flow { throw IllegalStateException("down") }

    open fun cachedPrices(error: Throwable): Flow<Int> {
        received.add(error)
        return flowOf(42)
    }
}

class FlowTest {

    private val runner = ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration::class.java, ResilienceReactiveAutoConfiguration::class.java))
        .withPropertyValues(
            "resilience.retry.instances.three.max-attempts=3",
            "resilience.retry.instances.three.wait-duration=1ms",
            "resilience.circuitbreaker.instances.breaker.sliding-window-size=10",
            "resilience.circuitbreaker.instances.breaker.minimum-number-of-calls=10")

    @Test
    fun `calling a method returning Flow records nothing and each collection is one call`() {
        runner.withBean(FlowService::class.java).run { context ->
            val service = context.getBean(FlowService::class.java)
            val target = AopTestUtils.getUltimateTargetObject<FlowService>(service)
            val breaker = context.getBean(ResilienceRegistries::class.java).circuitBreakers().get("breaker")

            val prices = service.prices()
            assertThat(breaker.metrics().bufferedCalls()).isZero()
            assertThat(target.collections).hasValue(0)

            runBlocking {
                withTimeout(10_000) {
                    assertThat(prices.toList()).containsExactly(1, 2)
                    assertThat(prices.toList()).containsExactly(1, 2)
                }
            }
            assertThat(target.calls).hasValue(1)
            assertThat(target.collections).hasValue(2)
            assertThat(breaker.metrics().successfulCalls()).isEqualTo(2)
        }
    }

    @Test
    fun `a Flow failing mid-stream is one failure after its elements`() {
        runner.withBean(FlowService::class.java).run { context ->
            val service = context.getBean(FlowService::class.java)
            val breaker = context.getBean(ResilienceRegistries::class.java).circuitBreakers().get("breaker")
            val seen = CopyOnWriteArrayList<Int>()

            assertThatThrownBy { runBlocking { withTimeout(10_000) { service.failingMidStream().collect { seen.add(it) } } } }
                .isInstanceOf(IllegalStateException::class.java).hasMessage("down mid-stream")

            assertThat(seen).containsExactly(1)
            assertThat(breaker.metrics().failedCalls()).isEqualTo(1)
            assertThat(breaker.metrics().successfulCalls()).isZero()
        }
    }

    @Test
    fun `a collection that stops before the Flow ends is no success`() {
        runner.withBean(FlowService::class.java).run { context ->
            val service = context.getBean(FlowService::class.java)
            val breaker = context.getBean(ResilienceRegistries::class.java).circuitBreakers().get("breaker")

            assertThat(runBlocking { withTimeout(10_000) { service.endless().first() } }).isEqualTo(1)

            // first() cancels the collection: an ignored outcome, as any cancelled subscription.
            assertThat(breaker.metrics().successfulCalls()).isZero()
            assertThat(breaker.metrics().failedCalls()).isZero()
        }
    }

    @Test
    fun `a retry collects the Flow again from its start exactly max-attempts times`() {
        runner.withBean(FlowService::class.java).run { context ->
            val service = context.getBean(FlowService::class.java)
            val target = AopTestUtils.getUltimateTargetObject<FlowService>(service)

            val values = runBlocking { withTimeout(10_000) { service.thirdTimeLucky().toList() } }

            assertThat(values).containsExactly(10, 20, 30, 31)
            assertThat(target.collections).hasValue(3)
        }
    }

    @Test
    fun `a fallback returning Flow replaces the failed collection`() {
        runner.withBean(FlowService::class.java).run { context ->
            val service = context.getBean(FlowService::class.java)
            val target = AopTestUtils.getUltimateTargetObject<FlowService>(service)

            assertThat(runBlocking { withTimeout(10_000) { service.withFallback().toList() } }).containsExactly(42)
            assertThat(target.received).singleElement().isInstanceOf(IllegalStateException::class.java)
        }
    }

    @Test
    fun `without a Flow adapter a method returning Flow fails start-up naming the method`() {
        // A registry as without kotlinx-coroutines-reactor: it knows Reactor's types but not Flow.
        val withoutFlow = object : ReactiveAdapterRegistry() {
            override fun getAdapter(reactiveType: Class<*>): ReactiveAdapter? =
                if (Flow::class.java.isAssignableFrom(reactiveType)) null else super.getAdapter(reactiveType)
        }
        runner.withBean(ReactiveMethodSupport::class.java, { ReactorMethodSupport(withoutFlow) })
            .withBean(FlowService::class.java)
            .run { context ->
                assertThat(context.startupFailure).rootCause()
                    .isInstanceOf(ResilienceConfigurationException::class.java)
                    .hasMessageContaining(FlowService::class.java.name + ".")
                    .hasMessageContaining("kotlinx.coroutines.flow.Flow")
                    .hasMessageContaining("kotlinx-coroutines-reactor")
            }
    }
}
