/**
 * Not API: the retry's implementation and the bucketed retry budget. They may change in any release.
 */
package dev.resilience.retry.internal;
