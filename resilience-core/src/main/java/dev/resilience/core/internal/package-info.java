/**
 * Helpers shared by the policies that are not API: they may change in any release.
 */
package dev.resilience.core.internal;
