package civrules;

/** A program's (or a member line's) status, as in docs/result.md. */
public enum Status {
    INELIGIBLE, ELIGIBLE, MARGINAL, INDIVIDUAL, PHASE_OUT, UNDETERMINED,
    /** the program could not be evaluated on the date: see {@link ProgramResult#error()} */
    ERROR;

    /** Whether the program pays under this status. */
    public boolean pays() {
        return this == ELIGIBLE || this == INDIVIDUAL || this == PHASE_OUT;
    }

    static Status of(String json) {
        return valueOf(json.toUpperCase(java.util.Locale.ROOT));
    }
}
