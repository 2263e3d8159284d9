package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.CapturedStep;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.config.PolygradConfig;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scratch backend's compiled captured steps ({@link ScratchProgram}: planned buffers, constants
 * folded, elementwise chains and short sums fused into generated loops) against the same ops run
 * eagerly, bit for bit, on data that mixes ordinary values with signed zeros, infinities, NaN and
 * denormals, for lengths on both sides of the 64-element fused-sum limit.
 */
class ScratchProgramTest {

    private static final double[] SPECIAL = {0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.NaN, 1e-40, -1e-310, 1.0, -1.0, 3e38, 0.5};

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> out = Stream.builder();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int n : new int[] {1, 20, 64, 65, 300}) {
                out.add(Arguments.of(dtype, n));
            }
        }
        return out.build();
    }

    /** The chains under test: each reads x, y, z (length n) and the one-element s. */
    private interface Chain {
        Tensor apply(Tensor x, Tensor y, Tensor z, Tensor s);
    }

    private static final Chain[] CHAINS = {
        // the quadratic step's forward and gradient: products, sums with a scalar, abs, sign, means
        (x, y, z, s) -> x.mul(x).mul(s).add(y.mul(s)).add(s).sub(z).abs().mean(),
        (x, y, z, s) -> x.mul(x).mul(s).add(y.mul(s)).sub(z).sign().mul(x).sum(),
        // an elementwise result that leaves the step, every fused unary and binary op
        (x, y, z, s) -> x.exp().add(y.abs().log()).sub(z.abs().sqrt()).mul(x.tanh()).div(s).neg()
                .maximum(y).minimum(z),
        // a sum read by the next op of the same length: the fused loop must end before it
        (x, y, z, s) -> x.sub(x.mean()).abs().sum(),
        (x, y, z, s) -> x.mul(y).add(z.mul(s)).mean().add(x.sum()),
    };

    @ParameterizedTest(name = "{0}, n = {1}")
    @MethodSource("cases")
    @DisplayName("every chain, compiled and replayed, gives the eager values bit for bit over changing inputs")
    void run_fusedChains_matchEagerBitForBit(DType dtype, int n) {
        Engine engine = new Engine(new ScratchBackend(), PolygradConfig.defaults().withDType(dtype));
        Random random = new Random(n);
        Tensor x = engine.tensor(values(random, n));
        Tensor y = engine.tensor(values(random, n));
        Tensor z = engine.tensor(values(random, n));
        Tensor s = engine.tensor(new double[] {random.nextGaussian()});
        for (int c = 0; c < CHAINS.length; c++) {
            Chain chain = CHAINS[c];
            Supplier<Tensor> step = () -> chain.apply(x, y, z, s);
            CapturedStep captured = CapturedStep.capture(step);
            if (c <= 2) {
                ScratchProgram compiled = (ScratchProgram) engine.backend().compile(captured.program());
                assertTrue(compiled.fusedLoops() > 0, "chain " + c + " was not fused: " + captured);
            }
            for (int round = 0; round < 4; round++) {
                x.assign(engine.tensor(values(random, n)));
                y.assign(engine.tensor(values(random, n)));
                z.assign(engine.tensor(values(random, n)));
                s.assign(engine.tensor(new double[] {SPECIAL[random.nextInt(SPECIAL.length)]}));
                double[] eager = step.get().toDoubleArray();
                double[] replayed = captured.run().toDoubleArray();
                assertEquals(eager.length, replayed.length);
                for (int i = 0; i < eager.length; i++) {
                    assertEquals(bits(dtype, eager[i]), bits(dtype, replayed[i]), "chain " + c + ", " + dtype + ", n = "
                            + n + ", round " + round + ", element " + i + ": eager " + eager[i] + ", replayed "
                            + replayed[i]);
                }
            }
        }
    }

    @Test
    @DisplayName("a replayed result is a new array each run: the one handed out before never changes")
    void run_twice_earlierResultValuesUnchanged() {
        Engine engine = new Engine(new ScratchBackend(), PolygradConfig.defaults());
        Tensor x = engine.tensor(new double[] {1, 2, 3});
        CapturedStep captured = CapturedStep.capture(() -> x.mul(x).add(1));
        Tensor result = captured.run();
        Tensor before = result.detach();
        io.polygrad.spi.BackendArray first = result.array();
        x.assign(engine.tensor(new double[] {5, 6, 7}));
        captured.run();
        assertTrue(first.isClosed(), "the replaced result array is released, as an in-place update releases it");
        assertEquals(26.0, result.toDoubleArray()[0]);
        assertEquals(2.0, before.toDoubleArray()[0]);
    }

    private static double[] values(Random random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextInt(4) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : random.nextGaussian() * 3;
        }
        return v;
    }

    private static long bits(DType dtype, double v) {
        return dtype == DType.FLOAT32 ? Float.floatToIntBits((float) v) : Double.doubleToLongBits(v);
    }
}
