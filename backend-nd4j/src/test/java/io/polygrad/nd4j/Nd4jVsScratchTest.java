package io.polygrad.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import io.polygrad.scratch.ScratchModule;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs a few polygrad Tensor expressions (values and gradients) on the nd4j backend and on the
 * pure-Java scratch backend from the same seeded inputs, and compares them.
 */
class Nd4jVsScratchTest {

    /** An expression of two inputs {@code a [3, 4]} and {@code b [4, 2]}, reduced to a scalar loss. */
    private record Expr(String name, java.util.function.BiFunction<Tensor, Tensor, Tensor> f) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> expressions() {
        List<Expr> exprs = List.of(
                new Expr("mse of matmul", (a, b) -> a.matmul(b).sub(1.0).square().mean()),
                new Expr("softmax cross-entropy shape", (a, b) -> {
                    Tensor logits = a.matmul(b);
                    Tensor shifted = logits.sub(logits.max(1, true));
                    Tensor logSumExp = shifted.exp().sum(1, true).log();
                    return shifted.sub(logSumExp).mean().neg();
                }),
                new Expr("relu, tanh, abs chain", (a, b) -> a.relu().matmul(b.tanh()).abs().sum()),
                new Expr("broadcast and where", (a, b) -> {
                    Tensor rowMeans = a.mean(1, true);
                    Tensor centered = a.sub(rowMeans);
                    return Tensor.where(centered.gt(0.0), centered.mul(2.0), centered.div(3.0)).sum();
                }),
                new Expr("sqrt, pow, permute, concat", (a, b) -> {
                    Tensor sq = a.square().add(1.0).sqrt();
                    Tensor both = Tensor.concat(List.of(sq, a.pow(2.0)), 0);
                    return both.permute(1, 0).matmul(both).mean();
                }));
        return exprs.stream().flatMap(e -> Stream.of(Arguments.of(e, DType.FLOAT32), Arguments.of(e, DType.FLOAT64)));
    }

    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("expressions")
    void expression_valueAndGradients_matchScratch(Expr expr, DType dt) {
        PolygradConfig cfg = PolygradConfig.defaults().withDType(dt).withSeed(7);
        Engine nd4j = Polygrad.createEngine(new Nd4jModule(), cfg.withBackend("nd4j"));
        Engine scratch = Polygrad.createEngine(new ScratchModule(), cfg.withBackend("scratch"));
        double[] r1 = run(nd4j, expr.f(), dt);
        double[] r2 = run(scratch, expr.f(), dt);
        assertEquals(r2.length, r1.length);
        double rtol = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
        for (int i = 0; i < r1.length; i++) {
            double diff = Math.abs(r1[i] - r2[i]);
            int k = i;
            assertTrue(diff <= rtol * Math.max(1, Math.abs(r2[i])), () -> String.format(Locale.ROOT,
                    "%s [%d]: nd4j %.17g, scratch %.17g", expr.name(), k, r1[k], r2[k]));
        }
    }

    /** Returns [loss, dLoss/da..., dLoss/db...] on {@code engine} (a missing gradient contributes nothing). */
    private static double[] run(Engine engine, java.util.function.BiFunction<Tensor, Tensor, Tensor> f, DType dt) {
        Tensor a = engine.uniform(-1, 1, dt, 3, 4).requiresGrad(true);
        Tensor b = engine.uniform(-1, 1, dt, 4, 2).requiresGrad(true);
        Tensor loss = f.apply(a, b);
        assertArrayEquals(new int[0], loss.shape());
        assertEquals(dt, loss.dtype());
        loss.backward();
        // an input the expression does not use has no gradient (null, as in PyTorch) on both backends
        double[] ga = a.grad() == null ? new double[0] : a.grad().toDoubleArray();
        double[] gb = b.grad() == null ? new double[0] : b.grad().toDoubleArray();
        double[] out = new double[1 + ga.length + gb.length];
        out[0] = loss.item();
        System.arraycopy(ga, 0, out, 1, ga.length);
        System.arraycopy(gb, 0, out, 1 + ga.length, gb.length);
        return out;
    }
}
