/**
 * Ahead-of-time processing support: the runtime hints a native image needs for what the starter reads or calls
 * reflectively (fallback methods, exception classes named in properties, actuator endpoint payloads). Registered in
 * {@code META-INF/spring/aot.factories}; nothing here runs in a normal application start. The proxy classes of annotated
 * beans are generated ahead of time through
 * {@link dev.resilience.spring.interceptor.ResilienceAnnotationBeanPostProcessor#determineBeanType}.
 */
package dev.resilience.spring.aot;
