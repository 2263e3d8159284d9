package io.polygrad;

/**
 * The element type of a tensor: 32-bit or 64-bit IEEE floating point.
 *
 * <p>Mixing the two in one operation promotes to {@link #FLOAT64}, as PyTorch does.
 */
public enum DType {
    /** 32-bit float, the default. */
    FLOAT32("float32", 4),
    /** 64-bit float, the reference precision. */
    FLOAT64("float64", 8);

    private final String label;
    private final int byteSize;

    DType(String label, int byteSize) {
        this.label = label;
        this.byteSize = byteSize;
    }

    /** Returns the wider of two dtypes (PyTorch's type promotion for float types). */
    public static DType promote(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }

    /** Returns the size of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Returns the dtype named by {@code text}: {@code float32}/{@code f32}/{@code float} or
     * {@code float64}/{@code f64}/{@code double}, case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted spellings
     */
    public static DType parse(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "float32": case "f32": case "float": case "fp32":
                return FLOAT32;
            case "float64": case "f64": case "double": case "fp64":
                return FLOAT64;
            default:
                throw new IllegalArgumentException("Unknown dtype '" + text
                        + "': expected float32 (f32) or float64 (f64)");
        }
    }

    /** Returns the PyTorch-style name, e.g. {@code float32}. */
    @Override
    public String toString() {
        return label;
    }
}
