package io.polygrad.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.polygrad.DType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of a PyTorch fixture file (written by {@code tools/pytorch-fixtures/generate_ops.py}): an op
 * name, its parameters, the explicit inputs, and what PyTorch computed from them: the output and the
 * gradient of every input that requires one, of {@code sum(output * upstream)}.
 *
 * <p>Files are the resources {@code io/polygrad/conformance/pytorch/<family>-<dtype>.json}. A value is a
 * JSON number (the shortest decimal that reads back as the same double, so stored exactly) or one of the
 * strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 *
 * @param id       the case id, e.g. {@code exp/edge}
 * @param op       the polygrad op name, e.g. {@code exp}, {@code pow-scalar}, {@code crossEntropy}
 * @param params   the op's parameters (a JSON object)
 * @param inputs   the inputs, in the op's argument order
 * @param output   PyTorch's output
 * @param outputDType PyTorch's output dtype
 * @param upstream the upstream gradient, or {@code null} when the case is not differentiable
 * @param grads    PyTorch's gradient of each input, {@code null} for an input without one
 * @param deliberate polygrad's deliberate difference from PyTorch on this case, or {@code null} (none)
 */
public record PyTorchFixture(String id, String op, JsonNode params, List<Input> inputs, Values output,
        DType outputDType, double[] upstream, List<double[]> grads, Deliberate deliberate) {

    /**
     * polygrad's values where it deliberately differs from PyTorch (the table of
     * {@code docs/PYTORCH-DIFFERENCES.md}): what the suite checks instead of PyTorch's.
     *
     * @param reason the key of the difference in that table, e.g. {@code sign-nan}
     * @param output polygrad's output values
     * @param grads  polygrad's gradients ({@code null} entries as in {@link #grads()})
     */
    public record Deliberate(String reason, double[] output, List<double[]> grads) {
    }

    /** One input: its values, shape and whether it requires a gradient. */
    public record Input(Values values, boolean grad) {
    }

    /** Flat row-major values and a shape. */
    public record Values(double[] values, int[] shape) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Returns the resource name of a fixture family in {@code dtype}, e.g. {@code pytorch/ops-float32.json}. */
    public static String resource(String family, DType dtype) {
        return "pytorch/" + family + "-" + Check.id(dtype) + ".json";
    }

    /** Returns every case of the fixture family {@code family} ({@code ops}, {@code losses}) in {@code dtype}. */
    public static List<PyTorchFixture> load(String family, DType dtype) {
        String name = resource(family, dtype);
        try (InputStream in = PyTorchFixture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing PyTorch fixture resource " + name
                        + " (regenerate with tools/pytorch-fixtures/generate_ops.py)");
            }
            JsonNode root = JSON.readTree(in);
            if (!Check.id(dtype).equals(root.path("dtype").asText())) {
                throw new IllegalStateException(name + " holds dtype " + root.path("dtype").asText());
            }
            List<PyTorchFixture> out = new ArrayList<>();
            for (JsonNode c : root.get("cases")) {
                List<Input> inputs = new ArrayList<>();
                for (JsonNode i : c.get("inputs")) {
                    inputs.add(new Input(values(i), i.path("grad").asBoolean()));
                }
                List<double[]> grads = new ArrayList<>();
                double[] upstream = null;
                if (c.has("grads")) {
                    upstream = doubles(c.get("upstream"));
                    for (JsonNode g : c.get("grads")) {
                        grads.add(g.isNull() ? null : doubles(g));
                    }
                }
                Deliberate deliberate = null;
                if (c.has("polygrad")) {
                    JsonNode p = c.get("polygrad");
                    List<double[]> pg = new ArrayList<>();
                    for (JsonNode g : p.path("grads")) {
                        pg.add(g.isNull() ? null : doubles(g));
                    }
                    deliberate = new Deliberate(p.get("reason").asText(), doubles(p.get("output")),
                            p.has("grads") ? pg : grads);
                }
                JsonNode o = c.get("output");
                out.add(new PyTorchFixture(c.get("id").asText(), c.get("op").asText(), c.get("params"), inputs,
                        values(o), DType.valueOf(o.get("dtype").asText().toUpperCase(java.util.Locale.ROOT)),
                        upstream, grads, deliberate));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PyTorch fixture " + name, e);
        }
    }

    /** Returns whether the case has gradients to compare. */
    public boolean differentiable() {
        return upstream != null;
    }

    /** Returns parameter {@code key} as a double (numbers, or the strings NaN, Infinity, -Infinity). */
    public double number(String key) {
        return value(required(key));
    }

    /** Returns parameter {@code key} as an int. */
    public int integer(String key) {
        return required(key).asInt();
    }

    /** Returns parameter {@code key} as a boolean. */
    public boolean flag(String key) {
        return required(key).asBoolean();
    }

    /** Returns parameter {@code key}, a list of ints. */
    public int[] ints(String key) {
        JsonNode n = required(key);
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asInt();
        }
        return out;
    }

    /** Returns parameter {@code key} as text. */
    public String text(String key) {
        return required(key).asText();
    }

    /** Returns whether the case has parameter {@code key}. */
    public boolean has(String key) {
        return params.has(key);
    }

    private JsonNode required(String key) {
        JsonNode n = params.get(key);
        if (n == null) {
            throw new IllegalStateException("PyTorch fixture " + id + " lacks parameter " + key);
        }
        return n;
    }

    private static Values values(JsonNode n) {
        JsonNode s = n.get("shape");
        int[] shape = new int[s.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = s.get(i).asInt();
        }
        return new Values(doubles(n.get("values")), shape);
    }

    private static double[] doubles(JsonNode n) {
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = value(n.get(i));
        }
        return out;
    }

    private static double value(JsonNode v) {
        return v.isTextual() ? Double.parseDouble(v.asText()) : v.doubleValue();
    }
}
