package io.polygrad.conformance;

/**
 * The exact optima the fits of the problems are judged against: the least-squares line and
 * the least-absolute-deviations quadratic of a data set, computed in closed form.
 */
public final class FitTargets {

    private FitTargets() {
    }

    /** Returns the least-squares line through the points, in closed form: {w, b}. */
    public static double[] leastSquaresLine(double[] x, double[] y) {
        double n = x.length;
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            sx += x[i];
            sy += y[i];
            sxx += x[i] * x[i];
            sxy += x[i] * y[i];
        }
        double w = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[] {w, (sy - w * sx) / n};
    }

    /** Returns the mean absolute error of {@code a·x² + b·x + c} on the points. */
    public static double mae(double[] abc, double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs(abc[0] * x[i] * x[i] + abc[1] * x[i] + abc[2] - y[i]);
        }
        return s / x.length;
    }

    /**
     * Returns the exact least-absolute-deviations quadratic: an L1 optimum of a linear model interpolates
     * at least as many points as it has parameters, so the best of all 3-point interpolants is optimal.
     */
    public static double[] l1Optimum(double[] x, double[] y) {
        double[] best = null;
        double bestMae = Double.POSITIVE_INFINITY;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                for (int k = j + 1; k < x.length; k++) {
                    double[] abc = solve3(new double[][] {
                        {x[i] * x[i], x[i], 1, y[i]}, {x[j] * x[j], x[j], 1, y[j]}, {x[k] * x[k], x[k], 1, y[k]}});
                    double m = mae(abc, x, y);
                    if (m < bestMae) {
                        bestMae = m;
                        best = abc;
                    }
                }
            }
        }
        return best;
    }

    private static double[] solve3(double[][] a) {
        double d = det(a, -1);
        return new double[] {det(a, 0) / d, det(a, 1) / d, det(a, 2) / d};
    }

    private static double det(double[][] a, int replace) {
        double[][] m = new double[3][3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                m[r][c] = c == replace ? a[r][3] : a[r][c];
            }
        }
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }
}
