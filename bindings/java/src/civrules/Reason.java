package civrules;

import java.util.Map;

/** Why a program or member line was decided: a stable code, Chinese and English text, the basis. */
public final class Reason {
    private final String code, zh, en, basis;

    Reason(Map<?, ?> m) {
        code = (String)m.get("code");
        zh = (String)m.get("zh");
        en = (String)m.get("en");
        basis = (String)m.get("basis");
    }

    public String code() { return code; }
    public String zh() { return zh; }
    public String en() { return en; }
    /** The rule it rests on (a document number or URL), or null. */
    public String basis() { return basis; }

    @Override
    public String toString() { return code; }
}
