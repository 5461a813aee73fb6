package dev.resilience.keyed;

/**
 * A call to a {@link KeyedPolicy} had no key ({@code null}). The call did not run and nothing was admitted or
 * counted: it is a programming or data error (a tenant header that is missing, a key expression that reads the wrong
 * argument), not a rejection, so it is not a {@link dev.resilience.ResilienceException} and no web mapping turns it
 * into 429 or 503. Its message names the instance and, where the key comes from an annotation, the method and the
 * expression.
 */
public class NullKeyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what had no key, and where the key should have come from
     */
    public NullKeyException(String message) {
        super(message);
    }
}
