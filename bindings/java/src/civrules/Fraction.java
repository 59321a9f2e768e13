package civrules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * An exact rational number: what civrules computes with. A money or rate
 * fact that does not end as a decimal (a per-capita income of 1000/3 yuan)
 * arrives as one of these, never as a string to parse, nor rounded behind
 * the caller's back; {@link #toBigDecimal(int, RoundingMode)} rounds it for
 * display. In the result JSON its text is "1000/3" (see docs/result.md).
 * Immutable, in lowest terms, the denominator positive.
 */
public final class Fraction implements Comparable<Fraction> {
    private final BigInteger num, den;

    /** {@code num / den}, reduced; {@code den} must not be zero. */
    public Fraction(BigInteger num, BigInteger den) {
        if (den.signum() == 0)
            throw new ArithmeticException("civrules.Fraction: a zero denominator");
        if (den.signum() < 0) {
            num = num.negate();
            den = den.negate();
        }
        BigInteger g = num.gcd(den);
        if (g.signum() != 0 && !g.equals(BigInteger.ONE)) {
            num = num.divide(g);
            den = den.divide(g);
        }
        this.num = num;
        this.den = den;
    }

    public Fraction(long num, long den) { this(BigInteger.valueOf(num), BigInteger.valueOf(den)); }

    /** The exact value of a decimal. */
    public static Fraction of(BigDecimal d) {
        return d.scale() > 0 ? new Fraction(d.unscaledValue(), BigInteger.TEN.pow(d.scale()))
                             : new Fraction(d.toBigIntegerExact(), BigInteger.ONE);
    }

    /** The value of the result JSON's text: "1000/3", "1282.00", "-0.5". */
    public static Fraction parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0)
            return of(new BigDecimal(text));
        return new Fraction(new BigInteger(text.substring(0, slash)), new BigInteger(text.substring(slash + 1)));
    }

    public BigInteger numerator() { return num; }
    public BigInteger denominator() { return den; }

    /** Whether the value ends as a decimal (the denominator has no prime factors but 2 and 5). */
    public boolean isDecimal() {
        BigInteger d = den;
        for (BigInteger p : new BigInteger[] {BigInteger.TWO, BigInteger.valueOf(5)})
            while (d.mod(p).signum() == 0)
                d = d.divide(p);
        return d.equals(BigInteger.ONE);
    }

    /** The exact decimal; ArithmeticException when it does not end ({@link #isDecimal()}). */
    public BigDecimal toBigDecimal() {
        return new BigDecimal(num).divide(new BigDecimal(den));
    }

    /** Rounded to {@code scale} decimals: money for display is {@code toBigDecimal(2, RoundingMode.HALF_UP)}. */
    public BigDecimal toBigDecimal(int scale, RoundingMode mode) {
        return new BigDecimal(num).divide(new BigDecimal(den), scale, mode);
    }

    @Override
    public int compareTo(Fraction o) { return num.multiply(o.den).compareTo(o.num.multiply(den)); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fraction && num.equals(((Fraction)o).num) && den.equals(((Fraction)o).den);
    }

    @Override
    public int hashCode() { return Objects.hash(num, den); }

    /** "1000/3", or "7" for a whole number. */
    @Override
    public String toString() { return den.equals(BigInteger.ONE) ? num.toString() : num + "/" + den; }
}
