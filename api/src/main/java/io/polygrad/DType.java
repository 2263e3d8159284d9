package io.polygrad;

import java.util.List;

/**
 * The element type of a tensor: 32-bit or 64-bit IEEE floating point, or 64-bit signed integers
 * (class labels and indices, PyTorch's {@code torch.long}).
 *
 * <p>Promotion follows PyTorch: mixing float32 and float64 gives float64, an int64 operand with a
 * float operand gives the float dtype, and int64 with int64 stays int64. Integer tensors carry only
 * the ops labels and indices need and never require a gradient.
 *
 * <pre>{@code
 * jshell> DType.promote(DType.INT64, DType.FLOAT32)
 * $1 ==> float32
 * jshell> DType.floatingPoint()
 * $2 ==> [float32, float64]
 * }</pre>
 */
public enum DType {
    /** 32-bit float, the default. */
    FLOAT32("float32", 4),
    /** 64-bit float, the reference precision. */
    FLOAT64("float64", 8),
    /** 64-bit signed integer, for class labels and indices (PyTorch's {@code torch.int64}). */
    INT64("int64", 8);

    private static final List<DType> FLOATING_POINT = List.of(FLOAT32, FLOAT64);

    private final String label;
    private final int byteSize;

    DType(String label, int byteSize) {
        this.label = label;
        this.byteSize = byteSize;
    }

    /**
     * Returns the dtype of an operation on {@code a} and {@code b}, as PyTorch promotes: the wider
     * float when both are floats, the float dtype when one is {@link #INT64}, and int64 when both are.
     */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a == INT64) {
            return b;
        }
        if (b == INT64) {
            return a;
        }
        return FLOAT64;
    }

    /** Returns the floating-point dtypes, float32 then float64: the dtypes engines, parameters and gradients have. */
    public static List<DType> floatingPoint() {
        return FLOATING_POINT;
    }

    /** Returns whether this is a floating-point dtype (PyTorch's {@code is_floating_point}). */
    public boolean isFloatingPoint() {
        return this != INT64;
    }

    /** Returns the size of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * Returns the dtype named by {@code text}: {@code float32}/{@code f32}/{@code float},
     * {@code float64}/{@code f64}/{@code double} or {@code int64}/{@code i64}/{@code long},
     * case-insensitive.
     *
     * @throws IllegalArgumentException naming the accepted spellings
     */
    public static DType parse(String text) {
        switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "float32": case "f32": case "float": case "fp32":
                return FLOAT32;
            case "float64": case "f64": case "double": case "fp64":
                return FLOAT64;
            case "int64": case "i64": case "long":
                return INT64;
            default:
                throw new IllegalArgumentException("Unknown dtype '" + text
                        + "': expected float32 (f32), float64 (f64) or int64 (i64, long)");
        }
    }

    /**
     * Returns the floating-point dtype named by {@code text}, as {@link #parse} reads it, for settings
     * that must be a float dtype (an engine's or a command's dtype).
     *
     * @throws IllegalArgumentException naming the accepted spellings, also for {@code int64}
     */
    public static DType parseFloatingPoint(String text) {
        DType d;
        try {
            d = parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown dtype '" + text + "': expected float32 (f32) or float64 (f64)");
        }
        if (!d.isFloatingPoint()) {
            throw new IllegalArgumentException("dtype '" + text + "' is not a floating-point dtype: expected "
                    + "float32 (f32) or float64 (f64)");
        }
        return d;
    }

    /** Returns the PyTorch-style name, e.g. {@code float32}. */
    @Override
    public String toString() {
        return label;
    }
}
