/**
 * AspectJ mode ({@code resilience.aop.mode=aspectj}): {@link dev.resilience.spring.aspectj.ResilienceAspect}, woven
 * into the application by AspectJ, protects every execution of an annotated method (self-invocations and objects
 * Spring does not manage included) with the same per-method chains as the starter's proxies. The application brings
 * {@code org.aspectj:aspectjweaver} and turns weaving on; nothing here is loaded in proxy mode.
 */
package dev.resilience.spring.aspectj;
