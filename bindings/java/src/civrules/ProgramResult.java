package civrules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One program's part of a result. */
public final class ProgramResult {
    private final String program;
    private final Status status;
    private final BigDecimal monthly;
    private final List<MemberLine> members;
    private final Map<String, Object> facts;
    private final List<Reason> reasons;
    private final List<String> missing;
    private final CivrulesException error;

    private final Map<String, Fraction> exact;

    ProgramResult(Map<?, ?> m, Map<String, String> types) {
        program = (String)m.get("program");
        status = Status.of((String)m.get("status"));
        monthly = new BigDecimal((String)m.get("monthly"));
        List<MemberLine> lines = new ArrayList<>();
        for (Object o : (List<?>)m.get("members"))
            lines.add(new MemberLine((Map<?, ?>)o, status));
        members = Collections.unmodifiableList(lines);
        Map<String, Object> f = new LinkedHashMap<>();
        Map<String, Fraction> x = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>)m.get("facts")).entrySet()) {
            String name = (String)e.getKey();
            Object v = e.getValue();
            String type = types.getOrDefault(name, "");
            if (v instanceof String && (type.equals("money") || type.equals("rate") || type.equals("integer"))) {
                Fraction exactValue = Fraction.parse((String)v);
                x.put(name, exactValue);
                v = type.equals("integer") ? (Object)Long.valueOf((String)v)
                  : exactValue.isDecimal() ? (Object)new BigDecimal((String)v) : exactValue;
            } else if (v instanceof String && type.equals("date")) {
                v = LocalDate.parse((String)v);
            }
            f.put(name, v);
        }
        facts = Collections.unmodifiableMap(f);
        exact = Collections.unmodifiableMap(x);
        reasons = reasons(m.get("reasons"));
        missing = strings(m.get("missing"));
        Map<?, ?> e = (Map<?, ?>)m.get("error");
        error = e == null ? null : Result.error(e);
    }

    static List<Reason> reasons(Object list) {
        List<Reason> out = new ArrayList<>();
        if (list != null)
            for (Object o : (List<?>)list)
                out.add(new Reason((Map<?, ?>)o));
        return Collections.unmodifiableList(out);
    }

    static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list != null)
            for (Object o : (List<?>)list)
                out.add((String)o);
        return Collections.unmodifiableList(out);
    }

    /** The program id, e.g. "dibao". */
    public String program() { return program; }
    public Status status() { return status; }
    /** Monthly amount for the household in yuan, two decimals. */
    public BigDecimal monthly() { return monthly; }
    public List<MemberLine> members() { return members; }
    /**
     * The facts the result shows, by name: money and rates as
     * {@link BigDecimal} when the exact value is a decimal ("1282.00" keeps
     * its two places) and as an exact {@link Fraction} when it does not end
     * (a per-capita income of 1000/3 yuan: never a string to parse, never
     * rounded), whole numbers as Long, dates as LocalDate, lists of members
     * as List of ids, true/false as Boolean, other texts as String.
     */
    public Map<String, Object> facts() { return facts; }

    /**
     * The exact value of a money, rate or whole-number fact, whether or not
     * it ends as a decimal; empty for other facts and unknown names. Round
     * for display with {@code toBigDecimal(2, RoundingMode.HALF_UP)}.
     */
    public Optional<Fraction> exact(String fact) { return Optional.ofNullable(exact.get(fact)); }
    public List<Reason> reasons() { return reasons; }
    public List<String> missing() { return missing; }
    /**
     * Why the program could not be evaluated on the date (status
     * {@link Status#ERROR}): its id ("CIVR-5003"), message and position (the
     * parameter's declaration, the hook's Lua line); empty for every other
     * status. The household's other programs are decided all the same.
     */
    public Optional<CivrulesException> error() { return Optional.ofNullable(error); }
}
