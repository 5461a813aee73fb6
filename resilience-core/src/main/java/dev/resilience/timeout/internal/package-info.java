/**
 * Not API: the timeout's implementation. It may change in any release.
 */
package dev.resilience.timeout.internal;
