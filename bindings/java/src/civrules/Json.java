package civrules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small reader for the JSON civrules writes (results, diagnostics):
 * objects become LinkedHashMap, arrays ArrayList, strings String, numbers
 * their text as String (never a double: amounts stay exact), true/false
 * Boolean, null null. Not a general-purpose parser.
 */
final class Json {
    private final String s;
    private int at;

    private Json(String s) { this.s = s; }

    static Object parse(String text) {
        Json j = new Json(text);
        Object v = j.value();
        j.space();
        if (j.at != j.s.length())
            throw j.error("text after the value");
        return v;
    }

    private IllegalStateException error(String why) {
        return new IllegalStateException("civrules: unexpected result JSON at " + at + ": " + why);
    }

    private void space() {
        while (at < s.length() && Character.isWhitespace(s.charAt(at)))
            at++;
    }

    private Object value() {
        space();
        if (at >= s.length())
            throw error("end of text");
        char c = s.charAt(at);
        switch (c) {
        case '{': {
            at++;
            Map<String, Object> m = new LinkedHashMap<>();
            space();
            if (s.charAt(at) == '}') { at++; return m; }
            for (;;) {
                space();
                String k = string();
                space();
                expect(':');
                m.put(k, value());
                space();
                if (s.charAt(at) == ',') { at++; continue; }
                expect('}');
                return m;
            }
        }
        case '[': {
            at++;
            List<Object> l = new ArrayList<>();
            space();
            if (s.charAt(at) == ']') { at++; return l; }
            for (;;) {
                l.add(value());
                space();
                if (s.charAt(at) == ',') { at++; continue; }
                expect(']');
                return l;
            }
        }
        case '"':
            return string();
        case 't': word("true"); return Boolean.TRUE;
        case 'f': word("false"); return Boolean.FALSE;
        case 'n': word("null"); return null;
        default: {
            int start = at;
            while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0)
                at++;
            if (start == at)
                throw error("unexpected '" + c + "'");
            return s.substring(start, at);
        }
        }
    }

    private void expect(char c) {
        if (at >= s.length() || s.charAt(at) != c)
            throw error("expected '" + c + "'");
        at++;
    }

    private void word(String w) {
        if (!s.startsWith(w, at))
            throw error("expected " + w);
        at += w.length();
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        for (;;) {
            if (at >= s.length())
                throw error("unterminated string");
            char c = s.charAt(at++);
            if (c == '"')
                return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(at++);
            switch (e) {
            case 'n': b.append('\n'); break;
            case 't': b.append('\t'); break;
            case 'r': b.append('\r'); break;
            case 'b': b.append('\b'); break;
            case 'f': b.append('\f'); break;
            case 'u': b.append((char)Integer.parseInt(s.substring(at, at + 4), 16)); at += 4; break;
            default: b.append(e);
            }
        }
    }
}
