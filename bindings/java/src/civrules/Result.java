package civrules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one evaluation decided (docs/result.md), or the error record of a
 * household that could not be evaluated ({@link #error()} present). Plain
 * immutable data: it holds no native resource.
 */
public final class Result {
    private final String json;
    private final String household;
    private final LocalDate date;
    private final BigDecimal totalMonthly;
    private final List<ProgramResult> programs;
    private final CivrulesException error;
    private final List<LogLine> log;
    private final int logDropped;

    Result(String json) { this(json, Map.of()); }

    /** {@code factTypes}: program id -> fact name -> type, to give facts their Java types. */
    Result(String json, Map<String, Map<String, String>> factTypes) {
        this.json = json;
        Map<?, ?> m = (Map<?, ?>)Json.parse(json);
        household = (String)m.get("household");
        date = LocalDate.parse((String)m.get("date"));
        List<LogLine> lines = new ArrayList<>();
        Object l = m.get("log");
        if (l != null)
            for (Object o : (List<?>)l)
                lines.add(new LogLine((Map<?, ?>)o));
        log = Collections.unmodifiableList(lines);
        Object dropped = m.get("log_dropped");
        logDropped = dropped == null ? 0 : Integer.parseInt((String)dropped);
        Map<?, ?> e = (Map<?, ?>)m.get("error");
        if (e != null) {
            error = error(e);
            totalMonthly = null;
            programs = Collections.emptyList();
            return;
        }
        error = null;
        totalMonthly = new BigDecimal((String)m.get("total_monthly"));
        List<ProgramResult> ps = new ArrayList<>();
        for (Object o : (List<?>)m.get("programs"))
            ps.add(new ProgramResult((Map<?, ?>)o,
                                     factTypes.getOrDefault((String)((Map<?, ?>)o).get("program"), Map.of())));
        programs = Collections.unmodifiableList(ps);
    }

    /** An "error" object of the result JSON (the record's, or a program's) as an exception. */
    static CivrulesException error(Map<?, ?> e) {
        return new CivrulesException(CODES.indexOf(e.get("code")) < 0 ? 0 : -CODES.indexOf(e.get("code")),
                                     (String)e.get("id"), (String)e.get("source"),
                                     Integer.parseInt((String)e.get("line")),
                                     Integer.parseInt((String)e.get("column")), (String)e.get("message"));
    }

    /** civr_code_name of each CIVR_E* code, by minus the code. */
    private static final List<String> CODES = List.of("ok", "memory", "invalid", "io", "syntax", "schema",
        "expression", "policy", "data", "evaluation", "limit", "hook");

    /** The household id, or null when it could not be read. */
    public String household() { return household; }
    /** The evaluation date. */
    public LocalDate date() { return date; }
    /** Whether this is an error record. */
    public boolean failed() { return error != null; }
    /** The error of an error record. */
    public Optional<CivrulesException> error() { return Optional.ofNullable(error); }
    /** The sum of every program's monthly amount in yuan (two decimals); null for an error record. */
    public BigDecimal totalMonthly() { return totalMonthly; }
    /** The programs, in the order the result lists them. */
    public List<ProgramResult> programs() { return programs; }

    /** The program with id {@code program}, if the result has it. */
    public Optional<ProgramResult> program(String program) {
        for (ProgramResult p : programs)
            if (p.program().equals(program))
                return Optional.of(p);
        return Optional.empty();
    }

    /** What the policy's Lua hooks printed, in order (empty when nothing;
     *  error records keep what a hook printed before it failed). */
    public List<LogLine> log() { return log; }
    /** Lines printed past the per-evaluation caps and not kept. */
    public int logDropped() { return logDropped; }

    /** The result as civrules writes it: one line of JSON, byte for byte the CLI's. */
    public String json() { return json; }

    @Override
    public String toString() { return json; }
}
