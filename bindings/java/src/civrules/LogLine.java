package civrules;

import java.util.Map;

/**
 * A line a Lua hook of the policy printed during the evaluation
 * (docs/result.md, "log"): the program, the hook ("program.point") and the
 * text — the print's arguments separated by tabs, bytes that are not UTF-8
 * replaced by U+FFFD. {@link #truncated()} when the line reached the
 * per-evaluation byte cap and was cut.
 */
public final class LogLine {
    private final String program, hook, text;
    private final boolean truncated;

    LogLine(Map<?, ?> m) {
        program = (String)m.get("program");
        hook = (String)m.get("hook");
        text = (String)m.get("text");
        truncated = Boolean.TRUE.equals(m.get("truncated"));
    }

    public String program() { return program; }
    public String hook() { return hook; }
    public String text() { return text; }
    public boolean truncated() { return truncated; }

    @Override
    public String toString() { return hook + ": " + text; }
}
