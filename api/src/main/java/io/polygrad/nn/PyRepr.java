package io.polygrad.nn;

import java.math.BigDecimal;

/** Python's {@code repr} of values, so module reprs read exactly as PyTorch's ({@code eps=1e-05}). */
final class PyRepr {

    private PyRepr() {
    }

    /**
     * Returns Python's {@code repr(float(value))}: the shortest digits that read back as the value, plain
     * for decimal exponents in {@code [-4, 16)} ({@code 0.1}, {@code 1.0}), otherwise scientific with a
     * two-digit exponent ({@code 1e-05}, {@code 1e+16}).
     */
    static String of(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        String sign = value < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = d.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** Returns Python's {@code True} or {@code False}. */
    static String of(boolean value) {
        return value ? "True" : "False";
    }
}
