/**
 * The way over from Resilience4j: a start-up check that finds {@code resilience4j.*} properties, logs (once, WARN)
 * what each would have to be renamed to, and with {@code resilience.migration.read-resilience4j-properties=true}
 * reads the ones that map one-to-one as {@code resilience.*} properties. See {@code MIGRATION.md} at the root of the
 * project for the whole mapping.
 *
 * <p>Self-contained: nothing else in the starter imports this package, and removing it (with its
 * {@code META-INF/spring.factories} line) removes the feature.
 */
package dev.resilience.spring.migration;
