package civrules;

import java.math.BigDecimal;
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

    ProgramResult(Map<?, ?> m) {
        program = (String)m.get("program");
        status = Status.of((String)m.get("status"));
        monthly = new BigDecimal((String)m.get("monthly"));
        List<MemberLine> lines = new ArrayList<>();
        for (Object o : (List<?>)m.get("members"))
            lines.add(new MemberLine((Map<?, ?>)o, status));
        members = Collections.unmodifiableList(lines);
        Map<String, Object> f = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>)m.get("facts")).entrySet())
            f.put((String)e.getKey(), e.getValue());
        facts = Collections.unmodifiableMap(f);
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
     * The facts the result shows, by name, as JSON values: money and exact
     * amounts as their decimal (or fraction, "1000/3") text, numbers as
     * their text, lists as List, true/false as Boolean.
     */
    public Map<String, Object> facts() { return facts; }
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
