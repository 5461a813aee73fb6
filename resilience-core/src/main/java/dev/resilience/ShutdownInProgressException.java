package dev.resilience;

/**
 * Raised instead of running a call once its instance has begun to shut down (the application is
 * stopping): the call was never started. Its {@link #kind()} is {@value #KIND}, it is a
 * {@link #isRejection() rejection}, and it has no {@link #retryAfter()}.
 */
public class ShutdownInProgressException extends ResilienceException {

    private static final long serialVersionUID = 2L;

    /** The {@link #kind()} of every shutdown rejection, whichever instance raised it. */
    public static final String KIND = "shutdown";

    /**
     * @param instanceName name of the instance that refused the call
     */
    public ShutdownInProgressException(String instanceName) {
        super(KIND, instanceName, "'" + instanceName + "' is shutting down and accepts no new calls", -1);
    }
}
