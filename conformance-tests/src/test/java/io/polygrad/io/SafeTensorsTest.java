package io.polygrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Tensor;
import io.polygrad.conformance.BackendUnderTest;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.scratch.ScratchModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

    private static final BackendUnderTest SCRATCH = BackendUnderTest.of("scratch", new ScratchModule());

    @TempDir
    Path dir;

    private final Engine engine = SCRATCH.engine(DType.FLOAT32);

    /** A model with a float32 matrix and a float64 vector, for the golden file and the malformed ones. */
    private Module mixed(float[] weight, double[] bias) {
        return new Module("Mixed") {
            final Tensor w = registerParameter("weight", engine.tensor(weight, 2, 2));
            final Tensor b = registerParameter("bias", engine.tensor(bias, DType.FLOAT64, 2));

            @Override
            public Tensor forward(Tensor x) {
                return x.matmul(w).add(b);
            }
        };
    }

    private Module zeros() {
        return mixed(new float[4], new double[2]);
    }

    // ---------------------------------------------------------------- golden file, bytes written by hand

    /**
     * The file for weight = [[1, -2], [0.5, 3.25]] (F32) and bias = [0.5, -2] (F64), byte by byte: the
     * reference writes the wider dtype first, so bias's data comes first.
     */
    private static byte[] golden(boolean withMetadata) {
        String json = (withMetadata ? "{\"__metadata__\":{\"format\":\"pt\"}," : "{")
                + "\"bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]}}";
        // 120 characters without metadata (a multiple of 8: no padding); 151 with it, padded by one space to 152
        int n = withMetadata ? 152 : 120;
        assertEquals(withMetadata ? 151 : 120, json.length());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(n);                                   // u64 little-endian: 120 = 0x78 or 152 = 0x98
        out.writeBytes(new byte[7]);
        out.writeBytes(json.getBytes(StandardCharsets.US_ASCII));
        for (int i = json.length(); i < n; i++) {
            out.write(' ');
        }
        // bias, F64 little-endian: 0.5 = 0x3FE0000000000000, -2.0 = 0xC000000000000000
        out.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xE0, 0x3F});
        out.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, 0, (byte) 0xC0});
        // weight, F32 little-endian: 1 = 0x3F800000, -2 = 0xC0000000, 0.5 = 0x3F000000, 3.25 = 0x40500000
        out.writeBytes(new byte[] {0, 0, (byte) 0x80, 0x3F});
        out.writeBytes(new byte[] {0, 0, 0, (byte) 0xC0});
        out.writeBytes(new byte[] {0, 0, 0, 0x3F});
        out.writeBytes(new byte[] {0, 0, 0x50, 0x40});
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void golden_handWrittenFile_loadsIntoTheModel() throws IOException {
        Module m = zeros();
        SafeTensors.load(m, write("golden.safetensors", golden(false)));
        assertArrayEquals(new float[] {1, -2, 0.5f, 3.25f}, m.namedParameters().get("weight").toFloatArray());
        assertArrayEquals(new double[] {0.5, -2}, m.namedParameters().get("bias").toDoubleArray());
        Path withMeta = write("meta.safetensors", golden(true));
        SafeTensors.load(zeros(), withMeta);
        assertEquals(Map.of("format", "pt"), SafeTensors.metadata(withMeta));
    }

    @Test
    @DisplayName("a file of PyTorch tensors in every element type reads as PyTorch's values: F16/BF16 to float32, integers and BOOL to int64")
    void read_pytorchFileOfEveryElementType_givesPyTorchsValues() throws IOException, java.net.URISyntaxException {
        Path file = Path.of(getClass().getResource("pytorch-dtypes.safetensors").toURI());
        com.fasterxml.jackson.databind.JsonNode expected = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(getClass().getResource("pytorch-dtypes.json")).get("tensors");
        Map<String, Tensor> read = SafeTensors.read(file, engine);
        assertEquals(expected.size(), read.size());
        expected.properties().forEach(e -> {
            Tensor t = read.get(e.getKey());
            com.fasterxml.jackson.databind.JsonNode want = e.getValue();
            int[] shape = new int[want.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = want.get("shape").get(i).intValue();
            }
            assertArrayEquals(shape, t.shape(), e.getKey());
            String code = want.get("dtype").asText();
            DType dtype = code.equals("F64") ? DType.FLOAT64 : code.startsWith("F") || code.equals("BF16")
                    ? DType.FLOAT32 : DType.INT64;
            assertEquals(dtype, t.dtype(), e.getKey() + " (" + code + ")");
            com.fasterxml.jackson.databind.JsonNode values = want.get("values");
            if (dtype == DType.INT64) {
                long[] got = t.toLongArray();
                for (int i = 0; i < got.length; i++) {
                    assertEquals(values.get(i).longValue(), got[i], e.getKey() + "[" + i + "]");
                }
            } else {
                double[] got = t.toDoubleArray();
                for (int i = 0; i < got.length; i++) {
                    // exact: every F16, BF16 and F32 value is a float, and PyTorch's .double() widens exactly
                    assertEquals(Double.doubleToLongBits(values.get(i).doubleValue()), Double.doubleToLongBits(got[i]),
                            e.getKey() + "[" + i + "] = " + got[i] + ", PyTorch " + values.get(i));
                }
            }
        });
    }

    @Test
    @DisplayName("a float16 state_dict PyTorch saved of Linear-BatchNorm1d-ReLU-Linear loads into the same polygrad model, which then gives PyTorch's outputs")
    void load_pytorchFloat16Checkpoint_givesPyTorchsOutputs() throws IOException, java.net.URISyntaxException {
        Path file = Path.of(getClass().getResource("pytorch-model-f16.safetensors").toURI());
        com.fasterxml.jackson.databind.JsonNode expected = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(getClass().getResource("pytorch-model-f16.json"));
        Module model = new Sequential(new Linear(engine, 4, 3), new io.polygrad.nn.BatchNorm1d(engine, 3), new ReLU(),
                new Linear(engine, 3, 2));
        List<String> keys = new java.util.ArrayList<>();
        expected.get("keys").forEach(k -> keys.add(k.asText()));
        assertEquals(keys, List.copyOf(model.stateDict().keySet()));
        SafeTensors.load(model, file);
        assertEquals(3L, model.stateDict().get("1.num_batches_tracked").longValue());
        model.eval();
        double[][] x = new double[5][];
        for (int i = 0; i < 5; i++) {
            x[i] = new double[4];
            for (int j = 0; j < 4; j++) {
                x[i][j] = expected.get("input").get(i).get(j).doubleValue();
            }
        }
        double[] y = model.forward(engine.tensor(x).to(DType.FLOAT32)).toDoubleArray();
        for (int i = 0; i < y.length; i++) {
            double want = expected.get("output").get(i / 2).get(i % 2).doubleValue();
            // float32 arithmetic in another order than PyTorch's: a few ulps of values near 1
            assertEquals(want, y[i], 1e-6, "output " + i);
        }
    }

    @Test
    @DisplayName("loading converts a float64 or half-precision tensor into a float32 parameter, as PyTorch's load_state_dict copies")
    void load_floatTensorsOfAnotherWidth_areConvertedToTheParameters() throws IOException {
        Path file = dir.resolve("converted.safetensors");
        Map<String, Tensor> in = new java.util.LinkedHashMap<>();
        in.put("weight", engine.tensor(new double[] {0.5, -1.25, 3, 4}, DType.FLOAT64, 2, 2));
        in.put("bias", engine.tensor(new float[] {1.5f, -2}, 2));
        SafeTensors.save(in, Map.of(), file);
        Module m = zeros();
        SafeTensors.load(m, file);
        assertArrayEquals(new double[] {0.5, -1.25, 3, 4}, m.stateDict().get("weight").toDoubleArray());
        assertEquals(DType.FLOAT32, m.stateDict().get("weight").dtype());
        assertArrayEquals(new double[] {1.5, -2}, m.stateDict().get("bias").toDoubleArray());
        assertEquals(DType.FLOAT64, m.stateDict().get("bias").dtype());
    }

    @Test
    void halfToFloat_everySpecialCase_matchesIeee() {
        assertEquals(0f, SafeTensors.halfToFloat((short) 0));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(SafeTensors.halfToFloat((short) 0x8000)));
        assertEquals(1f, SafeTensors.halfToFloat((short) 0x3c00));
        assertEquals(65504f, SafeTensors.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, SafeTensors.halfToFloat((short) 0x0001));
        assertEquals(0x1p-14f, SafeTensors.halfToFloat((short) 0x0400));
        assertEquals(Float.POSITIVE_INFINITY, SafeTensors.halfToFloat((short) 0x7c00));
        assertEquals(Float.NEGATIVE_INFINITY, SafeTensors.halfToFloat((short) 0xfc00));
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7e00)));
    }

    @Test
    void int64_tensors_areSavedAsI64AndReadBackExactly() throws IOException {
        long big = (1L << 53) + 1;
        Map<String, Tensor> in = new java.util.LinkedHashMap<>();
        in.put("labels", engine.tensor(new long[] {big, -3, 0, 7}, 2, 2));
        Path file = dir.resolve("labels.safetensors");
        SafeTensors.save(in, Map.of(), file);
        String header = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.contains("\"dtype\":\"I64\""), header);
        Tensor back = SafeTensors.read(file, engine).get("labels");
        assertEquals(DType.INT64, back.dtype());
        assertArrayEquals(new int[] {2, 2}, back.shape());
        assertArrayEquals(new long[] {big, -3, 0, 7}, back.toLongArray());
    }

    @Test
    void golden_writerProducesExactlyTheReferenceBytes() {
        Module m = mixed(new float[] {1, -2, 0.5f, 3.25f}, new double[] {0.5, -2});
        assertArrayEquals(golden(false), SafeTensors.toBytes(m.namedParameters(), Map.of()));
        assertArrayEquals(golden(true), SafeTensors.toBytes(m.namedParameters(), Map.of("format", "pt")));
    }

    @Test
    void read_goldenFile_returnsTensorsInFileOrder() throws IOException {
        Map<String, Tensor> t = SafeTensors.read(write("golden.safetensors", golden(true)), engine);
        assertEquals(List.of("bias", "weight"), List.copyOf(t.keySet()));
        assertEquals(DType.FLOAT64, t.get("bias").dtype());
        assertArrayEquals(new int[] {2, 2}, t.get("weight").shape());
        assertFalse(t.get("weight").requiresGrad());
    }

    // ---------------------------------------------------------------- round trips

    private static final float[] SPECIAL_FLOATS = {0f, -0f, Float.MIN_VALUE, -Float.MAX_VALUE, Float.NaN,
        Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, (float) Math.PI, 1.1f};

    @Test
    void roundTrip_float32_isBitExact() throws IOException {
        Engine f32 = SCRATCH.engine(DType.FLOAT32, 11);
        Sequential a = new Sequential(new Linear(f32, 3, 5), new ReLU(), new Linear(f32, 5, 2));
        try (NoGrad ignored = NoGrad.enter()) {
            ((Linear) a.get(0)).bias().assign(f32.tensor(new float[] {0f, -0f, Float.MIN_VALUE, Float.NaN,
                Float.NEGATIVE_INFINITY}, 5));
        }
        Path file = dir.resolve("sub/f32.safetensors");
        SafeTensors.save(a, file);
        Sequential b = new Sequential(new Linear(SCRATCH.engine(DType.FLOAT32, 12), 3, 5), new ReLU(),
                new Linear(SCRATCH.engine(DType.FLOAT32, 12), 5, 2));
        SafeTensors.load(b, file);
        for (String name : a.namedParameters().keySet()) {
            assertArrayEquals(bits(a.namedParameters().get(name).toFloatArray()),
                    bits(b.namedParameters().get(name).toFloatArray()), name);
        }
        long size = Files.size(file);
        long header = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + header) % 8, "header padded to 8 bytes");
        assertEquals(8 + header + 4L * (15 + 5 + 10 + 2), size);
    }

    @Test
    void roundTrip_float64AndScalars_isBitExact() throws IOException {
        Engine f64 = SCRATCH.engine(DType.FLOAT64);
        double[] values = {0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.NEGATIVE_INFINITY,
            0.1, 1.0 / 3, -2.5e-300, Math.E};
        Module a = new Module("M") {
            final Tensor v = registerParameter("v", f64.tensor(values, 2, 5));
            final Tensor s = registerParameter("s", f64.scalar(1.1));

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        Module b = new Module("M") {
            final Tensor v = registerParameter("v", f64.zeros(2, 5));
            final Tensor s = registerParameter("s", f64.scalar(0));

            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        Path file = dir.resolve("f64.safetensors");
        SafeTensors.save(a, file);
        SafeTensors.load(b, file);
        assertArrayEquals(bits(values), bits(b.namedParameters().get("v").toDoubleArray()));
        assertEquals(Double.doubleToRawLongBits(1.1), Double.doubleToRawLongBits(b.namedParameters().get("s").item()));
        assertArrayEquals(new int[0], b.namedParameters().get("s").shape());
        assertTrue(new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).contains("\"s\":{\"dtype\":\"F64\","
                + "\"shape\":[],\"data_offsets\":[0,8]}"));
    }

    @Test
    void roundTrip_specialFloat32Values_survive() throws IOException {
        Map<String, Tensor> in = Map.of("x", engine.tensor(SPECIAL_FLOATS));
        Path file = dir.resolve("special.safetensors");
        SafeTensors.save(in, Map.of(), file);
        assertArrayEquals(bits(SPECIAL_FLOATS), bits(SafeTensors.read(file, engine).get("x").toFloatArray()));
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToRawIntBits(v[i]);
        }
        return out;
    }

    private static long[] bits(double[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Double.doubleToRawLongBits(v[i]);
        }
        return out;
    }

    // ---------------------------------------------------------------- malformed files

    /** Builds a file from a header and data, padding the header with spaces as the reference does. */
    private static byte[] file(String json, byte[] data) {
        byte[] h = json.getBytes(StandardCharsets.UTF_8);
        int n = (h.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(8 + n + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(h);
        for (int i = h.length; i < n; i++) {
            b.put((byte) ' ');
        }
        return b.put(data).array();
    }

    private static final String BIAS_OK = "\"bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}";

    /** Data whose bias part is [7, 8] (F64) and weight part [9, 9, 9, 9] (F32): different from the model's. */
    private static byte[] data(int bytes) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(bytes, 32)).order(ByteOrder.LITTLE_ENDIAN);
        b.putDouble(7).putDouble(8).putFloat(9).putFloat(9).putFloat(9).putFloat(9);
        byte[] out = new byte[bytes];
        System.arraycopy(b.array(), 0, out, 0, Math.min(bytes, 32));
        return out;
    }

    /** Loads {@code bytes} into a model with known values, asserting the error and that nothing changed. */
    private SafeTensorsException assertRejected(byte[] bytes, String tensor, String... problem) throws IOException {
        Path file = write("bad.safetensors", bytes);
        Module m = mixed(new float[] {1, 2, 3, 4}, new double[] {5, 6});
        SafeTensorsException ex = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(m, file));
        String msg = ex.getMessage();
        assertTrue(msg.contains(file.toString()), "names the file: " + msg);
        if (tensor == null) {
            assertNull(ex.tensor(), msg);
        } else {
            assertEquals(tensor, ex.tensor(), msg);
            assertTrue(msg.contains("tensor '" + tensor + "'"), "names the tensor: " + msg);
        }
        for (String p : problem) {
            assertTrue(msg.contains(p), "says '" + p + "': " + msg);
        }
        assertArrayEquals(new float[] {1, 2, 3, 4}, m.namedParameters().get("weight").toFloatArray(), "unchanged");
        assertArrayEquals(new double[] {5, 6}, m.namedParameters().get("bias").toDoubleArray(), "unchanged");
        return ex;
    }

    private static String weight(String dtype, String shape, int begin, int end) {
        return "\"weight\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void malformed_fewerThanEightBytes_isTruncated() throws IOException {
        assertRejected(new byte[] {1, 2, 3}, null, "truncated", "3 bytes");
    }

    @Test
    void malformed_headerLongerThanTheFile_isTruncated() throws IOException {
        byte[] good = golden(false);
        byte[] cut = java.util.Arrays.copyOf(good, 60);
        assertRejected(cut, null, "truncated", "header length is 120", "only 52 bytes");
    }

    @Test
    void malformed_dataCutShort_isOutOfRange() throws IOException {
        byte[] good = golden(false);
        assertRejected(java.util.Arrays.copyOf(good, good.length - 4), "weight", "out of range", "28 bytes");
    }

    @Test
    void malformed_oversizedHeaderLength_isRejected() throws IOException {
        byte[] bytes = golden(false);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 200_000_000L);
        assertRejected(bytes, null, "header length 200000000", "limit of 100000000");
    }

    @Test
    void malformed_negativeHeaderLength_isRejectedAsHuge() throws IOException {
        byte[] bytes = golden(false);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        assertRejected(bytes, null, "header length 18446744073709551615", "limit");
    }

    @Test
    void malformed_invalidJson_isRejected() throws IOException {
        assertRejected(file("{\"weight\": {\"dtype\": ", data(32)), null, "invalid JSON");
        assertRejected(file("{" + BIAS_OK + "," + BIAS_OK + "}", data(32)), null, "invalid JSON", "bias");
        assertRejected(file("[1, 2]", data(32)), null, "starting with '{'");
        assertRejected(file("{} trailing", data(0)), null, "invalid JSON");
        byte[] latin1 = file("{\"caf\u00e9\":1}", data(0));
        latin1[8 + 5] = (byte) 0xE9;
        latin1[8 + 6] = (byte) '"';
        latin1[8 + 7] = (byte) ':';
        assertRejected(latin1, null, "not valid UTF-8");
    }

    @Test
    void malformed_offsetsOutOfRange_areRejected() throws IOException {
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[2,2]", 16, 48) + "}", data(32)), "weight",
                "out of range", "[16,48]");
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[2,2]", -16, 0) + "}", data(32)), "weight",
                "non-negative");
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[2,2]", 32, 16) + "}", data(32)), "weight",
                "end before begin");
    }

    @Test
    void malformed_overlappingOffsets_areRejected() throws IOException {
        // weight claims bytes 8..24, which overlap bias's 0..16
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[2,2]", 8, 24) + "}", data(32)), "weight",
                "overlap tensor 'bias'");
    }

    @Test
    void malformed_gapOrTrailingBytes_areRejected() throws IOException {
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[2,2]", 20, 36) + "}", data(36)), "weight",
                "gap", "ends at byte 16");
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[2,2]", 16, 32) + "}", data(40)), null,
                "holds 40 bytes but the tensors cover 32");
    }

    @Test
    void malformed_offsetsDisagreeingWithTheShape_areRejected() throws IOException {
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[2,3]", 16, 32) + "}", data(32)), "weight",
                "span 16 bytes", "needs 24");
    }

    @Test
    void malformed_missingName_isRejected() throws IOException {
        assertRejected(file("{" + weight("F32", "[2,2]", 0, 16) + "}", data(16)), "bias", "missing from the file");
    }

    @Test
    void malformed_unexpectedName_isRejected() throws IOException {
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[2,2]", 16, 32)
                + ",\"extra\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[32,36]}}", data(36)), "extra",
                "not a parameter of the model");
    }

    @Test
    void malformed_wrongShape_isRejectedAfterAValidTensor() throws IOException {
        // bias is valid and holds new values; nothing may be written because weight is wrong
        assertRejected(file("{" + BIAS_OK + "," + weight("F32", "[4]", 16, 32) + "}", data(32)), "weight",
                "shape [4] in the file but [2, 2] in the model");
    }

    @Test
    void malformed_integerTensorForAFloatParameter_isRejected() throws IOException {
        assertRejected(file("{" + BIAS_OK + "," + weight("I64", "[2,2]", 16, 48) + "}", data(48)), "weight",
                "dtype I64 in the file (integer) cannot be loaded into float32 in the model");
    }

    @Test
    void malformed_unsupportedDtypeOrFields_areRejected() throws IOException {
        assertRejected(file("{" + BIAS_OK + "," + weight("F8_E4M3", "[2,2]", 16, 20) + "}", data(20)), "weight",
                "unsupported dtype \"F8_E4M3\"");
        assertRejected(file("{" + BIAS_OK + ",\"weight\":{\"shape\":[2,2],\"data_offsets\":[16,32]}}", data(32)),
                "weight", "\"dtype\"");
        assertRejected(file("{" + BIAS_OK + ",\"weight\":{\"dtype\":\"F32\",\"shape\":[2,-2],\"data_offsets\":[16,32]}}",
                data(32)), "weight", "invalid dimension -2");
        assertRejected(file("{\"__metadata__\":{\"n\":1}," + BIAS_OK + "," + weight("F32", "[2,2]", 16, 32) + "}",
                data(32)), null, "__metadata__ value of 'n' must be a string");
    }

    @Test
    void malformed_missingFile_isASafeTensorsError() {
        Path missing = dir.resolve("nope.safetensors");
        SafeTensorsException ex = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(zeros(), missing));
        assertTrue(ex.getMessage().contains(missing.toString()) && ex.getMessage().contains("cannot be read"),
                ex.getMessage());
    }

    @Test
    void validFileBuiltByTheTestHelper_loads() throws IOException {
        // the helper's files differ from the malformed ones only where intended
        Module m = zeros();
        SafeTensors.load(m, write("ok.safetensors", file("{" + BIAS_OK + "," + weight("F32", "[2,2]", 16, 32) + "}",
                data(32))));
        assertArrayEquals(new double[] {7, 8}, m.namedParameters().get("bias").toDoubleArray());
        assertArrayEquals(new float[] {9, 9, 9, 9}, m.namedParameters().get("weight").toFloatArray());
    }
}
