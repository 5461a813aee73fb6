package dev.resilience.sample.soak;

/**
 * What one request of the soak got: its HTTP status (0 when none arrived), a category for the summary and, when the
 * contract does not allow the answer, why.
 *
 * @param status the HTTP status, or 0 for a transport error or a client-side timeout
 * @param category what kind of answer it was, e.g. {@code 503 circuitbreaker inventory}
 * @param violation why the answer breaks the contract, or {@code null} when it is allowed
 */
record SoakAnswer(int status, String category, String violation) {

    /**
     * @param status the HTTP status
     * @param category what kind of answer it was
     * @return an answer the contract allows
     */
    static SoakAnswer allowed(int status, String category) {
        return new SoakAnswer(status, category, null);
    }

    /**
     * @param status the HTTP status, or 0 when none arrived
     * @param category what kind of answer it was
     * @param why what the contract says instead
     * @return an answer the contract does not allow
     */
    static SoakAnswer violation(int status, String category, String why) {
        return new SoakAnswer(status, category, why);
    }

    /** @return whether the contract allows this answer */
    boolean isAllowed() {
        return violation == null;
    }
}
