package io.polygrad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Conv2dSpec;
import io.polygrad.spi.ConvolutionKernels;
import io.polygrad.spi.Pool2dSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The djl backend's native convolution and pooling kernels against PyTorch 1.13's values
 * ({@code tools/pytorch-fixtures/generate_conv_kernels.py}) and hand values, in float32 and float64.
 */
class DjlConvolutionTest {

    private static final DjlBackend B = DjlTesting.backend();
    private static final ConvolutionKernels K = B.convolutionKernels().orElseThrow();

    /** The largest error seen per dtype, relative to the largest magnitude of the expected array. */
    private final double[] worst = new double[2];

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    @DisplayName("every kernel gives PyTorch's output and gradients on every fixture case, and leaks no tensor")
    void pytorchFixtures(DType dtype) throws IOException {
        List<JsonNode> cases = load(dtype);
        assertTrue(cases.size() >= 20, "fixture cases: " + cases.size());
        int before = B.managedArrayCount();
        for (JsonNode c : cases) {
            String id = c.get("id").asText();
            List<BackendArray> open = new ArrayList<>();
            try {
                BackendArray x = array(c.get("input"), dtype, open);
                BackendArray up = array(c.get("upstream"), dtype, open);
                if ("conv2d".equals(c.get("kind").asText())) {
                    Conv2dSpec spec = new Conv2dSpec(ints(c, "stride"), ints(c, "padding"), ints(c, "dilation"),
                            c.get("groups").asInt());
                    BackendArray w = array(c.get("weight"), dtype, open);
                    BackendArray b = c.get("bias").isNull() ? null : array(c.get("bias"), dtype, open);
                    check(id + " output", c.get("output"), keep(K.conv2d(x, w, b, spec), open), dtype);
                    check(id + " gradInput", c.get("gradInput"),
                            keep(K.conv2dBackwardInput(up, w, x.shape(), spec), open), dtype);
                    check(id + " gradWeight", c.get("gradWeight"),
                            keep(K.conv2dBackwardWeight(up, x, w.shape(), spec), open), dtype);
                } else {
                    Pool2dSpec spec = new Pool2dSpec(ints(c, "kernel"), ints(c, "stride"), ints(c, "padding"),
                            c.get("countIncludePad").asBoolean());
                    boolean max = "maxPool2d".equals(c.get("kind").asText());
                    check(id + " output", c.get("output"),
                            keep(max ? K.maxPool2d(x, spec) : K.avgPool2d(x, spec), open), dtype);
                    check(id + " gradInput", c.get("gradInput"), keep(max ? K.maxPool2dBackward(up, x, spec)
                            : K.avgPool2dBackward(up, x.shape(), spec), open), dtype);
                }
            } finally {
                open.forEach(BackendArray::close);
            }
        }
        assertEquals(before, B.managedArrayCount(), "tensors left in the backend's NDManager");
        System.out.printf("djl conv kernels vs PyTorch, %s: largest error %.3g (relative to each array's largest |value|)%n",
                dtype, worst[slot(dtype)]);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    @DisplayName("hand values: a 2x2 convolution of a 3x3 image, and its gradients")
    void conv2d_handValues(DType dtype) {
        Conv2dSpec spec = new Conv2dSpec(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
        try (BackendArray x = DjlTesting.array(dtype, new int[] {1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9);
             BackendArray w = DjlTesting.array(dtype, new int[] {1, 1, 2, 2}, 1, 0, 0, -1);
             BackendArray b = DjlTesting.vector(dtype, 0.5);
             BackendArray g = DjlTesting.array(dtype, new int[] {1, 1, 2, 2}, 1, 2, 3, 4)) {
            // out[i][j] = x[i][j] - x[i+1][j+1] + 0.5 = -4 + 0.5 everywhere
            DjlTesting.assertExact(K.conv2d(x, w, b, spec), dtype, new int[] {1, 1, 2, 2}, -3.5, -3.5, -3.5, -3.5);
            // dx = g scattered through w: +g at (i, j), -g at (i+1, j+1)
            DjlTesting.assertExact(K.conv2dBackwardInput(g, w, x.shape(), spec), dtype, x.shape(),
                    1, 2, 0, 3, 3, -2, 0, -3, -4);
            // dw[a][b] = sum g[i][j] * x[i+a][j+b]
            DjlTesting.assertExact(K.conv2dBackwardWeight(g, x, w.shape(), spec), dtype, w.shape(),
                    1 + 4 + 12 + 20, 2 + 6 + 15 + 24, 4 + 10 + 21 + 32, 5 + 12 + 24 + 36);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    @DisplayName("hand values: max pooling sends a tie's gradient to the first maximum, avg pooling excludes padding on request")
    void pooling_handValues(DType dtype) {
        Pool2dSpec max = new Pool2dSpec(new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, true);
        Pool2dSpec avg = new Pool2dSpec(new int[] {2, 2}, new int[] {2, 2}, new int[] {1, 1}, false);
        try (BackendArray x = DjlTesting.array(dtype, new int[] {1, 1, 2, 3}, 5, 5, 5, 5, 5, 1);
             BackendArray g = DjlTesting.array(dtype, new int[] {1, 1, 1, 2}, 1, 10);
             BackendArray g4 = DjlTesting.array(dtype, new int[] {1, 1, 2, 2}, 1, 2, 3, 4)) {
            DjlTesting.assertExact(K.maxPool2d(x, max), dtype, new int[] {1, 1, 1, 2}, 5, 5);
            // both windows' first maximum (row-major) is at their top-left: (0,0) and (0,1)
            DjlTesting.assertExact(K.maxPool2dBackward(g, x, max), dtype, x.shape(), 1, 10, 0, 0, 0, 0);
            // windows over the padded 4x5: (pad, x00), (x01, x02), then the second row alone
            DjlTesting.assertExact(K.avgPool2d(x, avg), dtype, new int[] {1, 1, 2, 2}, 5, 5, 5, 3);
            DjlTesting.assertExact(K.avgPool2dBackward(g4, x.shape(), avg), dtype, x.shape(),
                    1, 1, 1, 3, 2, 2);
        }
    }

    @Test
    @DisplayName("the backward kernels leave libtorch's grad mode as they found it")
    void backward_restoresGradMode() {
        Conv2dSpec spec = new Conv2dSpec(new int[] {2, 2}, new int[] {0, 0}, new int[] {1, 1}, 1);
        boolean mode = JniUtils.isGradMode();
        try (BackendArray x = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
             BackendArray w = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 1, 1}, 2);
             BackendArray g = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 1, 1}, 3)) {
            DjlTesting.assertExact(K.conv2dBackwardInput(g, w, x.shape(), spec), DType.FLOAT32, x.shape(), 6, 0, 0, 0);
            DjlTesting.assertExact(K.conv2dBackwardWeight(g, x, w.shape(), spec), DType.FLOAT32, w.shape(), 3);
        }
        assertEquals(mode, JniUtils.isGradMode());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    @DisplayName("conv2dForBackward's graph gives conv2dBackward the single-gradient kernels' values, one walk only; "
            + "the next call, and a plain forward's result, get the same values from the fallback")
    void conv2dBackward_throughKeptGraph_matchesSingleGradientKernels(DType dtype) {
        Conv2dSpec spec = new Conv2dSpec(new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 1}, 1);
        int before = B.managedArrayCount();
        try (BackendArray x = DjlTesting.array(dtype, new int[] {2, 2, 5, 4}, ramp(80, 0.25));
             BackendArray w = DjlTesting.array(dtype, new int[] {3, 2, 3, 2}, ramp(36, -0.5));
             BackendArray b = DjlTesting.vector(dtype, 0.5, -1, 2);
             BackendArray y = K.conv2dForBackward(x, w, b, spec, true, true);
             BackendArray plain = K.conv2d(x, w, b, spec)) {
            assertArrayEquals(B.toDoubleArray(plain), B.toDoubleArray(y), 0.0, "forward");
            assertEquals("ConvolutionBackward0", JniUtils.getGradientFunctionNames(((DjlArray) y).tensor()),
                    "the result keeps its graph");
            try (BackendArray g = DjlTesting.array(dtype, y.shape(), ramp(size(y.shape()), 0.125));
                 BackendArray gi = K.conv2dBackwardInput(g, w, x.shape(), spec);
                 BackendArray gw = K.conv2dBackwardWeight(g, x, w.shape(), spec)) {
                for (BackendArray out : new BackendArray[] {y, y, plain}) { // graph, then walked, then none
                    BackendArray[] grads = K.conv2dBackward(g, x, w, out, spec, true, true);
                    DjlTesting.assertClose(grads[0], dtype, x.shape(), B.toDoubleArray(gi));
                    DjlTesting.assertClose(grads[1], dtype, w.shape(), B.toDoubleArray(gw));
                }
                BackendArray[] weightOnly = K.conv2dBackward(g, x, w, null, spec, false, true);
                assertEquals(null, weightOnly[0]);
                DjlTesting.assertClose(weightOnly[1], dtype, w.shape(), B.toDoubleArray(gw));
            }
        }
        assertEquals(before, B.managedArrayCount(), "tensors left in the backend's NDManager");
    }

    @Test
    @DisplayName("a graph prepared for the weight only does not serve a request for the input gradient")
    void conv2dBackward_graphLacksInputLeaf_fallsBack() {
        Conv2dSpec spec = new Conv2dSpec(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
        try (BackendArray x = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 3, 3}, 1, 2, 3, 4, 5, 6, 7, 8, 9);
             BackendArray w = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 2, 2}, 1, 0, 0, -1);
             BackendArray g = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
             BackendArray y = K.conv2dForBackward(x, w, null, spec, false, true)) {
            BackendArray[] both = K.conv2dBackward(g, x, w, y, spec, true, true);
            DjlTesting.assertExact(both[0], DType.FLOAT32, x.shape(), 1, 2, 0, 3, 3, -2, 0, -3, -4);
            DjlTesting.assertExact(both[1], DType.FLOAT32, w.shape(), 37, 47, 67, 77);
            // the graph was left untouched, so the weight-only request still walks it
            BackendArray[] weight = K.conv2dBackward(g, x, w, y, spec, false, true);
            DjlTesting.assertExact(weight[1], DType.FLOAT32, w.shape(), 37, 47, 67, 77);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    @DisplayName("maxPool2dForBackward's graph (saved indices) gives the first maximum's gradient, as the re-run does, "
            + "and a result fed to another kept-graph op keeps its own graph")
    void maxPool2dBackward_throughKeptGraph_matchesRerun(DType dtype) {
        Pool2dSpec max = new Pool2dSpec(new int[] {2, 2}, new int[] {1, 1}, new int[] {0, 0}, true);
        Conv2dSpec spec = new Conv2dSpec(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
        int before = B.managedArrayCount();
        try (BackendArray x = DjlTesting.array(dtype, new int[] {1, 1, 2, 3}, 5, 5, 5, 5, 5, 1);
             BackendArray g = DjlTesting.array(dtype, new int[] {1, 1, 1, 2}, 1, 10);
             BackendArray w = DjlTesting.array(dtype, new int[] {1, 1, 1, 1}, 3);
             BackendArray p = K.maxPool2dForBackward(x, max);
             BackendArray c = K.conv2dForBackward(p, w, null, spec, true, true)) {
            DjlTesting.assertExact(K.maxPool2d(x, max), dtype, p.shape(), 5, 5);
            // the convolution's walk stops at its detached input: the pooling's graph stays for its own backward
            BackendArray[] cg = K.conv2dBackward(g, p, w, c, spec, true, true);
            DjlTesting.assertExact(cg[0], dtype, p.shape(), 3, 30);
            DjlTesting.assertExact(cg[1], dtype, w.shape(), 55);
            for (int walk = 0; walk < 2; walk++) { // through the graph, then the re-run
                DjlTesting.assertExact(K.maxPool2dBackward(g, x, p, max), dtype, x.shape(), 1, 10, 0, 0, 0, 0);
            }
            DjlTesting.assertExact(K.maxPool2dBackward(g, x, null, max), dtype, x.shape(), 1, 10, 0, 0, 0, 0);
        }
        assertEquals(before, B.managedArrayCount(), "tensors left in the backend's NDManager");
    }

    @Test
    @DisplayName("the forward-for-backward kernels leave libtorch's grad mode as they found it")
    void forBackward_restoresGradMode() {
        Conv2dSpec spec = new Conv2dSpec(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
        Pool2dSpec max = new Pool2dSpec(new int[] {1, 1}, new int[] {1, 1}, new int[] {0, 0}, true);
        boolean mode = JniUtils.isGradMode();
        try (BackendArray x = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
             BackendArray w = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 1, 1}, 2);
             BackendArray g = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 2, 2}, 1, -1, 0.5, 2);
             BackendArray y = K.conv2dForBackward(x, w, null, spec, true, false);
             BackendArray p = K.maxPool2dForBackward(x, max)) {
            assertEquals(mode, JniUtils.isGradMode());
            DjlTesting.assertExact(K.conv2dBackward(g, x, w, y, spec, true, false)[0], DType.FLOAT32, x.shape(),
                    2, -2, 1, 4);
            DjlTesting.assertExact(K.maxPool2dBackward(g, x, p, max), DType.FLOAT32, x.shape(), 1, -1, 0.5, 2);
        }
        assertEquals(mode, JniUtils.isGradMode());
    }

    @Test
    @DisplayName("a closed argument gives the released error, not a native failure")
    void conv2d_closedInput_releasedError() {
        Conv2dSpec spec = new Conv2dSpec(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
        BackendArray x = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 2, 2}, 1, 2, 3, 4);
        x.close();
        try (BackendArray w = DjlTesting.array(DType.FLOAT32, new int[] {1, 1, 1, 1}, 2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> K.conv2d(x, w, null, spec));
            assertTrue(e.getMessage().contains("released") || e.getMessage().contains("closed"), e.getMessage());
            assertFalse(w.isClosed());
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Returns {@code n} values {@code start, start + 0.25, ...} wrapped into [-2, 2). */
    private static double[] ramp(int n, double start) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = ((start + 0.25 * i) % 4 + 6) % 4 - 2;
        }
        return v;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static int slot(DType dtype) {
        return dtype == DType.FLOAT32 ? 0 : 1;
    }

    private static List<JsonNode> load(DType dtype) throws IOException {
        String name = "conv-kernels-" + dtype.name().toLowerCase(java.util.Locale.ROOT) + ".json";
        try (InputStream in = DjlConvolutionTest.class.getResourceAsStream(name)) {
            assertTrue(in != null, "missing fixture " + name + " (tools/pytorch-fixtures/generate_conv_kernels.py)");
            List<JsonNode> out = new ArrayList<>();
            new ObjectMapper().readTree(in).get("cases").forEach(out::add);
            return out;
        }
    }

    private static BackendArray array(JsonNode a, DType dtype, List<BackendArray> open) {
        return keep(B.fromDoubles(doubles(a), shape(a), dtype), open);
    }

    private static BackendArray keep(BackendArray a, List<BackendArray> open) {
        open.add(a);
        return a;
    }

    private static int[] ints(JsonNode c, String key) {
        JsonNode n = c.get(key);
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    private static int[] shape(JsonNode a) {
        return ints(a, "shape");
    }

    private static double[] doubles(JsonNode a) {
        JsonNode v = a.get("values");
        double[] out = new double[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).isNumber() ? v.get(i).asDouble() : Double.parseDouble(v.get(i).asText());
        }
        return out;
    }

    /**
     * Asserts {@code actual} has the expected shape and values to within 4 units in the last place of
     * the array's largest magnitude (sums of up to 75 products are rounded differently by different
     * kernels).
     */
    private void check(String what, JsonNode expected, BackendArray actual, DType dtype) {
        assertArrayEquals(shape(expected), actual.shape(), what + " shape");
        assertEquals(dtype, actual.dtype(), what + " dtype");
        double[] e = doubles(expected);
        double[] g = B.toDoubleArray(actual);
        double scale = 1;
        for (double v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = dtype == DType.FLOAT32 ? 4 * Math.ulp((float) scale) : 4 * Math.ulp(scale);
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(e[i] - g[i]);
            worst[slot(dtype)] = Math.max(worst[slot(dtype)], err / scale);
            if (!(err <= tol)) {
                throw new AssertionError(what + " element " + i + ": PyTorch " + e[i] + ", djl " + g[i]
                        + " (error " + err + ", tolerance " + tol + ")");
            }
        }
    }
}
