package civrules;

import civrules.internal.CivrulesNative;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, compiled policy bundle, e.g. {@code policies/cn/guangdong/guangzhou}.
 *
 * <pre>{@code
 * try (Policy policy = Policy.load(Path.of("policies/cn/guangdong/guangzhou"))) {
 *     Result r = policy.evaluate(json, LocalDate.of(2024, 8, 1));
 *     BigDecimal total = r.totalMonthly();
 * }
 * }</pre>
 *
 * Thread safety, as in C: one policy is shared by any number of threads;
 * each thread evaluates on its own native engine, made on first use and
 * freed by {@link #close()}. Close the policy only when no thread
 * evaluates any more. Households are JSON (or YAML) text, crossing into C
 * as UTF-8 bytes.
 */
public final class Policy implements AutoCloseable {
    private final Path path;
    private long handle;
    private final String id, version, digest;
    private final Map<String, Map<String, String>> factTypes; // program -> fact -> type
    private final List<long[]> engines = new ArrayList<>(); // {engine, result} of every thread
    private final ThreadLocal<long[]> engine = new ThreadLocal<>();

    private Policy(Path path, long handle) {
        this.path = path;
        this.handle = handle;
        this.id = text(CivrulesNative.civr_policy_id(handle));
        this.version = text(CivrulesNative.civr_policy_version(handle));
        this.digest = text(CivrulesNative.civr_policy_digest(handle));
        this.factTypes = factTypes(text(CivrulesNative.civr_policy_describe(handle)));
    }

    /** Each program's facts and their types ("money", "rate", "integer", ...), from civr_policy_describe. */
    private static Map<String, Map<String, String>> factTypes(String description) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (Object p : (List<?>)((Map<?, ?>)Json.parse(description)).get("programs")) {
            Map<String, String> facts = new HashMap<>();
            for (Object f : (List<?>)((Map<?, ?>)p).get("facts"))
                facts.put((String)((Map<?, ?>)f).get("name"), (String)((Map<?, ?>)f).get("type"));
            out.put((String)((Map<?, ?>)p).get("id"), facts);
        }
        return out;
    }

    /**
     * Load the bundle in folder {@code dir} with all its parents.
     *
     * @throws NoSuchFileException when the folder does not exist
     * @throws CivrulesException with the CIVR id, file, line and column of
     *         the first problem when the bundle does not load
     */
    public static Policy load(Path dir) throws NoSuchFileException {
        NativeLibrary.load();
        if (!Files.isDirectory(dir))
            throw new NoSuchFileException(dir.toString(), null, "no policy bundle folder");
        long[] out = new long[1];
        CivrulesNative.civr_policy_load(out, bytes(dir.toString()));
        return new Policy(dir, out[0]);
    }

    /** The version of the C library. */
    public static String engineVersion() {
        NativeLibrary.load();
        return text(CivrulesNative.civr_version());
    }

    /** Id of the most specific layer, e.g. "cn/guangdong/guangzhou". */
    public String id() { return id; }
    /** Version of the most specific layer. */
    public String version() { return version; }
    /** SHA-256 (hex) over every file of every layer. */
    public String digest() { return digest; }
    /** The folder it was loaded from. */
    public Path path() { return path; }

    /**
     * Evaluate one household (JSON or YAML text) on {@code date}.
     *
     * @throws CivrulesException for a household that breaks the contract or
     *         an evaluation that fails (the error record's id and position)
     */
    public Result evaluate(String household, LocalDate date) {
        long[] e = engine();
        byte[][] json = new byte[1][];
        CivrulesNative.civr_engine_eval_json(e[0], household.getBytes(StandardCharsets.UTF_8),
            CivrulesNative.CIVR_FORMAT_AUTO, bytes("<household>"), bytes(date.toString()), 0, e[1], json);
        return new Result(new String(json[0], StandardCharsets.UTF_8), factTypes);
    }

    /**
     * Evaluate many households on one date, in one call into C; results in
     * input order. A household that cannot be evaluated gives its error
     * record ({@link Result#failed()}), never an exception for the batch;
     * its errors name the row, "&lt;household&gt;:N" (1-based).
     */
    public List<Result> evaluateMany(List<String> households, LocalDate date) {
        long[] e = engine();
        byte[][] texts = new byte[households.size()][];
        for (int i = 0; i < texts.length; i++)
            texts[i] = households.get(i).getBytes(StandardCharsets.UTF_8);
        byte[][] json = new byte[1][];
        CivrulesNative.civr_engine_eval_batch(e[0], texts, CivrulesNative.CIVR_FORMAT_AUTO, bytes("<household>"),
            bytes(date.toString()), 0, e[1], json);
        String all = new String(json[0], StandardCharsets.UTF_8);
        List<Result> out = new ArrayList<>(texts.length);
        int start = 0;
        for (int nl; (nl = all.indexOf('\n', start)) >= 0; start = nl + 1)
            out.add(new Result(all.substring(start, nl), factTypes));
        if (out.size() != texts.length)
            throw new IllegalStateException("civrules: " + texts.length + " households gave " + out.size() + " results");
        return out;
    }

    private synchronized long[] engine() {
        if (handle == 0)
            throw new IllegalStateException("civrules: the policy is closed");
        long[] e = engine.get();
        if (e == null) {
            long[] out = new long[1];
            CivrulesNative.civr_engine_new(out, handle);
            long eng = out[0];
            try {
                CivrulesNative.civr_result_new(out);
            } catch (RuntimeException ex) {
                CivrulesNative.civr_engine_free(eng);
                throw ex;
            }
            e = new long[] {eng, out[0]};
            engines.add(e);
            engine.set(e);
        }
        return e;
    }

    /** Free the engines of every thread and the policy. Idempotent. */
    @Override
    public synchronized void close() {
        for (long[] e : engines) {
            CivrulesNative.civr_result_free(e[1]);
            CivrulesNative.civr_engine_free(e[0]);
        }
        engines.clear();
        if (handle != 0)
            CivrulesNative.civr_policy_free(handle);
        handle = 0;
    }

    @Override
    public String toString() {
        return "Policy[" + id + " " + version + " " + digest.substring(0, 12) + "]";
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
