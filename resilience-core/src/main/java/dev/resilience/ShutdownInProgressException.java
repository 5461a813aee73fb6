package dev.resilience;

/**
 * Raised instead of running a call once its instance has begun to shut down (the application is
 * stopping): the call was never started.
 */
public class ShutdownInProgressException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    /**
     * @param instanceName name of the instance that refused the call
     */
    public ShutdownInProgressException(String instanceName) {
        super(instanceName, "'" + instanceName + "' is shutting down and accepts no new calls");
    }
}
