package io.polygrad.cli.run;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor's values copied to Java: its shape and its elements in row-major order, as
 * float64 whatever the tensor's dtype.
 *
 * @param shape  the tensor's shape ({@code []} for a scalar)
 * @param values the elements, {@code product(shape)} of them
 */
public record Values(int[] shape, double[] values) {

    /** Creates the values, checking that they fill the shape. */
    public Values {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Arrays.toString(shape));
        }
        shape = shape.clone();
        values = values.clone();
    }

    /** Returns a copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Returns a copy of the elements. */
    @Override
    public double[] values() {
        return values.clone();
    }

    /** Returns the number of elements. */
    public int size() {
        return values.length;
    }

    /** Returns element {@code i} in row-major order. */
    public double get(int i) {
        return values[i];
    }

    /** Returns the largest {@code |this[i] - other[i]|}, NaN if either holds a NaN, infinite if shapes differ. */
    public double maxAbsDiff(Values other) {
        if (!Arrays.equals(shape, other.shape)) {
            return Double.POSITIVE_INFINITY;
        }
        double max = 0;
        for (int i = 0; i < values.length; i++) {
            double d = Math.abs(values[i] - other.values[i]);
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    /** Returns e.g. {@code [16, 1]}, or {@code scalar}. */
    public String shapeText() {
        return shape.length == 0 ? "scalar" : Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Values v && Arrays.equals(shape, v.shape) && Arrays.equals(values, v.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return shapeText() + " " + Arrays.toString(values);
    }
}
