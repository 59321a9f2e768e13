package civrules;

import java.nio.charset.StandardCharsets;

/**
 * An error from civrules: a policy that does not load, a household that
 * breaks the contract, an evaluation that fails. Carries the C library's
 * error: {@link #code()} (a CIVR_E* result code), {@link #id()} (the stable
 * message id, "CIVR-2004"; see docs/errors.md) and the position
 * {@link #file()}, {@link #line()}, {@link #column()} (null and 0 when
 * unknown).
 */
public class CivrulesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String id;
    private final String file;
    private final int line;
    private final int column;
    private final String detail;

    /** Made by the native layer (text as UTF-8 bytes). */
    CivrulesException(int code, int id, byte[] source, int line, int column, byte[] message) {
        this(code, String.format("CIVR-%04d", id),
             source.length == 0 ? null : new String(source, StandardCharsets.UTF_8), line, column,
             new String(message, StandardCharsets.UTF_8));
    }

    public CivrulesException(int code, String id, String file, int line, int column, String message) {
        super(format(id, file, line, column, message));
        this.code = code;
        this.id = id;
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = message;
    }

    private static String format(String id, String file, int line, int column, String message) {
        String where = file == null ? "" : line > 0 ? file + ":" + line + ":" + column + ": " : file + ": ";
        return where + "error: [" + id + "] " + message;
    }

    /** The C result code (negative), e.g. -8 for CIVR_EDATA. */
    public int code() { return code; }
    /** The stable message id, "CIVR-NNNN". */
    public String id() { return id; }
    /** The file or input name, or null. */
    public String file() { return file; }
    /** 1-based line, 0 when unknown. */
    public int line() { return line; }
    /** 1-based column in characters, 0 when unknown. */
    public int column() { return column; }
    /** The message without the position and id. */
    public String detail() { return detail; }
}
