package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * One sample of one public Tensor op: the op, its inputs (values and shapes), the expected
 * output worked out by hand, and whether its gradient is checked against finite differences.
 *
 * <p>Inputs are exactly representable in float32 so that the same sample checks both dtypes.
 *
 * @param name           op name and the sample's distinguishing feature, e.g. {@code add[2x3 + 3]}
 * @param op             the computation under test
 * @param inputs         input values, row-major
 * @param shapes         input shapes
 * @param expected       the expected output, row-major
 * @param expectedShape  the expected output shape
 * @param differentiable whether gradcheck applies (false for comparisons and samples at kinks)
 */
public record OpInfo(String name, Function<Tensor[], Tensor> op, double[][] inputs, int[][] shapes,
        double[] expected, int[] expectedShape, boolean differentiable) {

    /** Creates a tensor of {@code dtype} from values and a shape, 0-d when the shape is empty. */
    public static Tensor tensor(Engine engine, double[] values, DType dtype, int[] shape) {
        return shape.length == 0 ? engine.scalar(values[0], dtype) : engine.tensor(values, dtype, shape);
    }

    /** Returns the sample's name, so parameterised tests read {@code [add[2x3 + 3]]}. */
    @Override
    public String toString() {
        return name;
    }

    /** Returns a builder-style helper that starts a sample. */
    public static Sample sample(String name, Function<Tensor[], Tensor> op) {
        return new Sample(name, op);
    }

    /** Creates samples fluently: {@code sample("exp", t -> t[0].exp()).in(v, 3).out(e, 3)}. */
    public static final class Sample {
        private final String name;
        private final Function<Tensor[], Tensor> op;
        private double[][] inputs = new double[0][];
        private int[][] shapes = new int[0][];
        private boolean differentiable = true;

        private Sample(String name, Function<Tensor[], Tensor> op) {
            this.name = name;
            this.op = op;
        }

        /** Returns this sample with one more input. */
        public Sample in(double[] values, int... shape) {
            inputs = Arrays.copyOf(inputs, inputs.length + 1);
            shapes = Arrays.copyOf(shapes, shapes.length + 1);
            inputs[inputs.length - 1] = values;
            shapes[shapes.length - 1] = shape;
            return this;
        }

        /** Returns this sample marked as not checked by gradcheck. */
        public Sample noGradCheck() {
            differentiable = false;
            return this;
        }

        /** Returns the finished sample with its expected output. */
        public OpInfo out(double[] expected, int... shape) {
            return new OpInfo(name, op, inputs, shapes, expected, shape, differentiable);
        }
    }
}
