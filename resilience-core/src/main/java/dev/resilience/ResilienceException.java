package dev.resilience;

/**
 * Base class of every rejection the engine raises: a call that was not run, or not allowed to finish,
 * because a policy said no.
 *
 * <p>Rejections are expected under load, so by default they are cheap: no stack trace is filled in.
 * The message names the instance and the reason; {@link #instanceName()} gives the instance for code
 * that maps rejections (for example to HTTP status codes).
 */
public abstract class ResilienceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String instanceName;

    /**
     * Creates a rejection without a stack trace.
     *
     * @param instanceName name of the policy instance that rejected the call
     * @param message what happened, naming the instance
     */
    protected ResilienceException(String instanceName, String message) {
        this(instanceName, message, null, false);
    }

    /**
     * Creates a rejection, choosing whether a stack trace is filled in.
     *
     * @param instanceName name of the policy instance that rejected the call
     * @param message what happened, naming the instance
     * @param cause the cause, or {@code null}
     * @param writableStackTrace whether to fill in the stack trace (costly; off for rejections)
     */
    protected ResilienceException(String instanceName, String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, false, writableStackTrace);
        this.instanceName = instanceName;
    }

    /**
     * @return the name of the policy instance that raised this exception
     */
    public String instanceName() {
        return instanceName;
    }
}
