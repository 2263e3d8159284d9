package io.polygrad.cli.data;

import java.util.Objects;

/**
 * A set of {@code (x, y)} points read from a CSV file, with where they came from.
 *
 * @param x      the inputs, one per point
 * @param y      the targets, one per point, as long as {@code x}
 * @param source the file name shown in messages and plots
 */
public record XyData(double[] x, double[] y, String source) {

    /** Creates the data set, checking that both columns have the same, non-zero length. */
    public XyData {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(source, "source");
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " values but y has " + y.length);
        }
        if (x.length == 0) {
            throw new IllegalArgumentException(source + " has no points");
        }
        x = x.clone();
        y = y.clone();
    }

    /** Returns a copy of the inputs. */
    @Override
    public double[] x() {
        return x.clone();
    }

    /** Returns a copy of the targets. */
    @Override
    public double[] y() {
        return y.clone();
    }

    /** Returns the number of points. */
    public int size() {
        return x.length;
    }
}
