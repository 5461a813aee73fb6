/**
 * Fleet: rate limiters shared by every instance of a service through Redis ({@code store: redis}), over Spring Boot's
 * own Redis connection (Spring Data Redis with Lettuce). Everything here is used only when the application has Spring
 * Data Redis and a Lettuce connection factory; without them nothing here is loaded.
 */
package dev.resilience.spring.redis;
