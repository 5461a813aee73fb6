package dev.resilience.spring.redis;

import dev.resilience.spi.RateLimiterStore;
import dev.resilience.spi.RetryBudgetStore;
import dev.resilience.spring.ResilienceConfigurationException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The Redis stores for rate limiters with {@code store: redis} and retry budget groups with {@code budget.store: redis},
 * on Spring Boot's Lettuce connection factory. Only with Spring Data Redis and Lettuce on the class path and a
 * {@link LettuceConnectionFactory} bean; each store backs off when the application defines its own
 * ({@link RateLimiterStore}, {@link RetryBudgetStore}). Creating them connects to nothing: the first use does.
 */
@AutoConfiguration(afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass({LettuceConnectionFactory.class, io.lettuce.core.RedisClient.class})
public final class ResilienceRedisAutoConfiguration {

    /** Runs the stores' scripts on Spring Boot's connection; connects on first use, not here. */
    @Bean
    @ConditionalOnBean(LettuceConnectionFactory.class)
    @ConditionalOnMissingBean
    RedisScripts resilienceRedisScripts(LettuceConnectionFactory connectionFactory) {
        return new RedisScripts(connectionFactory);
    }

    @Bean
    @ConditionalOnBean(LettuceConnectionFactory.class)
    @ConditionalOnMissingBean(RateLimiterStore.class)
    RedisRateLimiterStore resilienceRedisRateLimiterStore(RedisScripts scripts, Environment environment) {
        // Bound here as well as in the starter's resilience.* properties, so that this package needs nothing else.
        RedisRateLimiterProperties properties = Binder.get(environment)
                .bindOrCreate("resilience.ratelimiter.redis", RedisRateLimiterProperties.class);
        if (properties.getCommandTimeout() == null || properties.getCommandTimeout().isNegative()
                || properties.getCommandTimeout().isZero()) {
            throw ResilienceConfigurationException.invalidProperty("resilience.ratelimiter.redis.command-timeout",
                    properties.getCommandTimeout(), "a positive duration");
        }
        if (properties.getKeyPrefix() == null) {
            throw ResilienceConfigurationException.invalidProperty("resilience.ratelimiter.redis.key-prefix", null,
                    "a string (empty for no prefix)");
        }
        return new RedisRateLimiterStore(scripts, properties.getKeyPrefix(), properties.getCommandTimeout());
    }

    @Bean
    @ConditionalOnBean(LettuceConnectionFactory.class)
    @ConditionalOnMissingBean(RetryBudgetStore.class)
    RedisRetryBudgetStore resilienceRedisRetryBudgetStore(RedisScripts scripts, Environment environment) {
        RedisRetryBudgetProperties properties = Binder.get(environment)
                .bindOrCreate("resilience.retry.redis", RedisRetryBudgetProperties.class);
        if (properties.getKeyPrefix() == null) {
            throw ResilienceConfigurationException.invalidProperty("resilience.retry.redis.key-prefix", null,
                    "a string (empty for no prefix)");
        }
        return new RedisRetryBudgetStore(scripts, properties.getKeyPrefix());
    }
}
