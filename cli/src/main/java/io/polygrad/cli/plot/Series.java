package io.polygrad.cli.plot;

import java.util.Objects;

/**
 * One named line or point set of a chart.
 *
 * @param name the legend entry
 * @param x    the x values
 * @param y    the y values, as many as {@code x}
 */
public record Series(String name, double[] x, double[] y) {

    /** Creates a series, checking that both arrays have the same length. */
    public Series {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) {
            throw new IllegalArgumentException("Series " + name + ": " + x.length + " x values but " + y.length
                    + " y values");
        }
    }

    /** Returns a loss curve: {@code losses[i]} at step {@code i + 1}. */
    public static Series ofSteps(String name, double[] losses) {
        double[] steps = new double[losses.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i + 1;
        }
        return new Series(name, steps, losses);
    }
}
