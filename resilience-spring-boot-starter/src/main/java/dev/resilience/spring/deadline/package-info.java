/**
 * Deadlines across services: {@link dev.resilience.spring.deadline.DeadlineClientInterceptor} sends the time the
 * current {@link dev.resilience.deadline.Deadline} has left in a request header, and
 * {@link dev.resilience.spring.deadline.DeadlineServletFilter} turns that header on an incoming request into the
 * request's deadline.
 */
package dev.resilience.spring.deadline;
