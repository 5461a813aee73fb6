package dev.resilience.spring.interceptor;

import dev.resilience.core.Invoker;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.AdvisedSupport;
import org.springframework.aop.framework.AdvisedSupportListener;
import org.springframework.aop.framework.ProxyCreatorSupport;

/**
 * Runs each attempt of a call that a retry may run more than once. Proceeding again on the same invocation would skip
 * every advisor inside ours (the invocation has moved past them), so an attempt proceeds on a fresh clone of the
 * untouched invocation; unless ours is the proxy's only advisor, when proceeding again simply calls the target again
 * and no clone is allocated.
 *
 * <p>On a proxy the starter creates, whether ours is the only advisor is followed through the proxy's configuration,
 * which tells its listeners of every change of advisors (another post-processor adding its own, or a call to
 * {@link org.springframework.aop.framework.Advised#addAdvisor}): an attempt reads one volatile field. Onto a proxy
 * created by someone else ours is added beside the advisors it has, so there every attempt proceeds on a clone.
 */
final class AttemptRunner implements Invoker.Runner, AdvisedSupportListener {

    /** For ours added to another's proxy: each attempt proceeds on a clone. */
    static final AttemptRunner ALWAYS_CLONE = new AttemptRunner(false);

    /**
     * For an interception that may simply proceed again, where nothing inside ours is skipped by doing so (an AspectJ
     * around advice: each {@code proceed()} runs the rest of the join point's advice and the method once more).
     */
    static final AttemptRunner PROCEED_AGAIN = new AttemptRunner(true);

    private volatile boolean onlyAdvisor;

    private AttemptRunner(boolean onlyAdvisor) {
        this.onlyAdvisor = onlyAdvisor;
    }

    /**
     * @param config the configuration of a proxy the starter creates, ours among its advisors
     * @return a runner that follows the advisors of {@code config}
     */
    static AttemptRunner following(ProxyCreatorSupport config) {
        AttemptRunner runner = new AttemptRunner(config.getAdvisorCount() == 1);
        config.addListener(runner);
        return runner;
    }

    @Override
    public void activated(AdvisedSupport config) {
        onlyAdvisor = config.getAdvisorCount() == 1;
    }

    @Override
    public void adviceChanged(AdvisedSupport config) {
        onlyAdvisor = config.getAdvisorCount() == 1;
    }

    @Override
    public Object run(Object call) throws Throwable {
        return proceed((MethodInvocation) call);
    }

    /**
     * @param invocation the invocation as it reached ours, not yet proceeded
     * @return what one attempt returned
     * @throws Throwable what it threw
     */
    Object proceed(MethodInvocation invocation) throws Throwable {
        if (!onlyAdvisor && invocation instanceof ProxyMethodInvocation proxy) {
            return InvocationCall.proceedAdmitted(proxy.invocableClone());
        }
        return InvocationCall.proceedAdmitted(invocation);
    }
}
