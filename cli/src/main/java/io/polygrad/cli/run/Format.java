package io.polygrad.cli.run;

import java.util.Locale;

/** The formatting of numbers for people: short, locale-independent, and exact enough to compare runs. */
public final class Format {

    private Format() {
    }

    /** Returns {@code v} with up to 6 significant digits, e.g. {@code 0.01}, {@code 2.99871}, {@code 1.2e-07}. */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e7) {
            String s = String.format(Locale.ROOT, "%.6g", v);
            if (s.contains("e")) {
                return s;
            }
            if (s.contains(".")) {
                s = s.replaceAll("0+$", "");
                s = s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
            }
            return s;
        }
        return String.format(Locale.ROOT, "%.4e", v).replaceAll("\\.?0+e", "e");
    }

    /** Returns {@code v} in scientific notation with 2 decimals, for differences, e.g. {@code 3.58e-07}. */
    public static String diff(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return "inf";
        }
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.2e", v);
    }

    /** Returns milliseconds with 3 significant digits, e.g. {@code 0.123}, {@code 12.3}. */
    public static String millis(double ms) {
        if (!Double.isFinite(ms)) {
            return "-";
        }
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f", ms);
        }
        return String.format(Locale.ROOT, "%.3g", ms);
    }
}
