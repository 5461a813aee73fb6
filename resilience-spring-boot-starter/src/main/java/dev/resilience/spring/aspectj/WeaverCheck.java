package dev.resilience.spring.aspectj;

import dev.resilience.spring.ResilienceConfigurationException;
import org.aspectj.lang.Aspects;
import org.springframework.util.ClassUtils;

/**
 * Whether AspectJ wove {@link ResilienceAspect}: a woven aspect has the {@code aspectOf()} that AspectJ adds, a class
 * loaded without the weaver (no agent, no aop.xml naming it) does not. Only touched in AspectJ mode, after checking that
 * AspectJ is on the class path.
 */
final class WeaverCheck {

    /** By name: a class literal would load the aspect (and so AspectJ's types) before AspectJ is known to be present. */
    private static final String ASPECT = "dev.resilience.spring.aspectj.ResilienceAspect";

    private static final String HOW_TO_WEAVE = "Start the JVM with -javaagent:/path/to/aspectjweaver-<version>.jar and add a "
            + "META-INF/aop.xml to the application that names the aspect " + ASPECT
            + " and weaves the application's packages (README, section 'Self-invocation'); or weave at compile time with "
            + "ajc and the starter on its aspect path; or set resilience.aop.mode=proxy.";

    private WeaverCheck() {
    }

    static void verify(ClassLoader classLoader) {
        if (!ClassUtils.isPresent("org.aspectj.lang.Aspects", classLoader)) {
            throw new ResilienceConfigurationException("Property 'resilience.aop.mode' is 'aspectj', but AspectJ's weaver "
                    + "(org.aspectj:aspectjweaver) is not on the class path, so no annotated method would be protected.",
                    "Add org.aspectj:aspectjweaver to the application's dependencies. " + HOW_TO_WEAVE);
        }
        if (!Woven.aspect(classLoader)) {
            throw new ResilienceConfigurationException("Property 'resilience.aop.mode' is 'aspectj', but " + ASPECT
                    + " was not woven: the AspectJ weaver agent is not running, or no META-INF/aop.xml names the aspect. "
                    + "No proxies are created in this mode, so no annotated method would be protected.", HOW_TO_WEAVE);
        }
    }

    /** Kept apart so that {@code Aspects} is loaded only once AspectJ is known to be present. */
    private static final class Woven {

        static boolean aspect(ClassLoader classLoader) {
            Class<?> aspect = ClassUtils.resolveClassName(ASPECT, classLoader);
            return Aspects.hasAspect(aspect);
        }
    }
}
