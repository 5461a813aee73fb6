/**
 * Not API: helpers shared by the policies (validation, durations, thread factories, rethrowing, exception
 * classification, the policies' common base class, the caller context carried across thread hops). They may change
 * in any release. Like {@code dev.resilience.core}, nothing here depends on the root package {@code dev.resilience}.
 */
package dev.resilience.core.internal;
