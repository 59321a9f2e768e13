package civrules;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** One member's line in a program: status, monthly amount, category, reasons, missing facts. */
public final class MemberLine {
    private final String member;
    private final Status status;
    private final BigDecimal monthly;
    private final String category;
    private final List<Reason> reasons;
    private final List<String> missing;

    MemberLine(Map<?, ?> m, Status programStatus) {
        member = (String)m.get("member");
        status = m.containsKey("status") ? Status.of((String)m.get("status")) : programStatus;
        monthly = new BigDecimal((String)m.get("monthly"));
        category = (String)m.get("category");
        reasons = ProgramResult.reasons(m.get("reasons"));
        missing = ProgramResult.strings(m.get("missing"));
    }

    public String member() { return member; }
    public Status status() { return status; }
    /** Monthly amount in yuan, two decimals. */
    public BigDecimal monthly() { return monthly; }
    /** The category a table row or enum value named, or null. */
    public String category() { return category; }
    public List<Reason> reasons() { return reasons; }
    /** The facts that would decide an undetermined line, e.g. "members[m3].parents". */
    public List<String> missing() { return missing; }
}
