package io.polygrad.conformance;

import io.polygrad.CompositePath;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.conformance.Check.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The optimizers' fused update {@link Tensor#addi(Tensor, double)} ({@code Backend.addScaled}) against its
 * composite {@code addi(other.mul(alpha))} on the same backend, bit for bit
 * ({@code fused/addScaled-vs-composite/<case>/<dtype>}): a backend's one-pass kernel must round the product
 * before the sum as the two ops do. A fused multiply-add changes about one float32 result in 20,000 on
 * Gaussian data, so the first case has 2^16 elements; the second crosses signed zeros, infinities, NaN and
 * denormals with each other, and the learning rates include values float32 must round (0.1, 1/3). Both
 * are also held to Java's IEEE arithmetic, so a constant that loses the sign of {@code alpha = -0.0} fails
 * even when fused and composite agree.
 */
public final class AddScaledChecks {

    private static final double[] SPECIAL = {0.0, -0.0, 1.0, -2.5, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.NaN, Float.MIN_VALUE, Double.MIN_VALUE, 1e30, -1e-30};
    private static final double[] ALPHAS = {-0.01, 0.1, -1.0 / 3, 0.9, 0.0, -0.0, -1e-45, 1e38};

    private AddScaledChecks() {
    }

    /** Returns the checks of {@code dtype}. */
    public static List<Check> checks(DType dtype) {
        List<Check> out = new ArrayList<>();
        int n = 1 << 16;
        Random random = new Random(15);
        double[] a = new double[n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = random.nextGaussian();
            b[i] = random.nextGaussian() * Math.pow(10, -random.nextInt(4));
        }
        out.add(check("gaussian[2^16]", dtype, a, b, new int[] {256, 256}));
        int m = SPECIAL.length;
        double[] sa = new double[m * m];
        double[] sb = new double[m * m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                sa[i * m + j] = SPECIAL[i];
                sb[i * m + j] = SPECIAL[j];
            }
        }
        out.add(check("signed zeros, infinities, NaN, denormals", dtype, sa, sb, new int[] {m, m}));
        return out;
    }

    private static Check check(String name, DType dtype, double[] a, double[] b, int[] shape) {
        return Check.of("fused/addScaled-vs-composite/" + name + "/" + Check.id(dtype), Part.DIFFERENTIAL, name, dtype,
                "a.addi(b, alpha) equals a.addi(b.mul(alpha)) bit for bit", s -> {
                    Engine engine = s.backend().engine(dtype);
                    for (double alpha : ALPHAS) {
                        double[] fast = update(engine, dtype, a, b, shape, alpha);
                        double[] composite;
                        try (CompositePath ignored = CompositePath.enter()) {
                            composite = update(engine, dtype, a, b, shape, alpha);
                        }
                        for (int i = 0; i < fast.length; i++) {
                            if (!Comparison.sameBits(fast[i], composite[i])) {
                                throw new AssertionError(s.backend().name() + " " + dtype + ": " + a[i] + " + " + alpha
                                        + "·" + b[i] + " gives " + fast[i] + " fused, " + composite[i]
                                        + " as addi(b.mul(alpha)) (element " + i + ")");
                            }
                            double java = javaUpdate(dtype, a[i], alpha, b[i]);
                            if (!Comparison.sameBits(fast[i], java)) {
                                throw new AssertionError(s.backend().name() + " " + dtype + ": " + a[i] + " + " + alpha
                                        + "·" + b[i] + " gives " + fast[i] + " fused, " + java
                                        + " in Java's IEEE arithmetic (element " + i + ")");
                            }
                        }
                    }
                });
    }

    /** Returns whether two values are the same bits, any NaN matching any NaN. */

    /** Returns {@code a + alpha·b} in {@code dtype}'s IEEE arithmetic, the product rounded first (the sign of −0 kept). */
    private static double javaUpdate(DType dtype, double a, double alpha, double b) {
        if (dtype == DType.FLOAT32) {
            float product = (float) alpha * (float) b;
            return (float) a + product;
        }
        double product = alpha * b;
        return a + product;
    }

    private static double[] update(Engine engine, DType dtype, double[] a, double[] b, int[] shape, double alpha) {
        Tensor p = engine.tensor(a, dtype, shape).requiresGrad(true);
        Tensor g = engine.tensor(b, dtype, shape);
        try (NoGrad ignored = NoGrad.enter()) {
            p.addi(g, alpha);
        }
        return p.toDoubleArray();
    }
}
