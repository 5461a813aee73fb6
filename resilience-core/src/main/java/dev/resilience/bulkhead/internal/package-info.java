/**
 * Not API: the bulkheads' implementations. They may change in any release.
 */
package dev.resilience.bulkhead.internal;
