package io.polygrad.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.polygrad.cli.plot.Series;
import io.polygrad.cli.run.Format;
import io.polygrad.cli.run.RunResult;
import io.polygrad.cli.run.Values;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The text and JSON forms of run results shared by {@code fit} and {@code compare}. */
final class Reports {

    /** Values printed on one line of a parameter listing. */
    private static final int PER_LINE = 6;

    private Reports() {
    }

    /** Returns a Jackson mapper that indents its output; callers pass non-finite numbers as {@code null}. */
    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Prints the loss at about ten evenly spaced steps, always the first and the last. */
    static void lossTable(PrintWriter out, RunResult r) {
        double[] losses = r.losses();
        out.printf("  %7s  %s%n", "step", "loss (" + r.lossName() + ")");
        int n = losses.length;
        int rows = Math.min(n, 11);
        int prev = -1;
        for (int i = 0; i < rows; i++) {
            int idx = rows == 1 ? 0 : (int) Math.round((double) i * (n - 1) / (rows - 1));
            if (idx == prev) {
                continue;
            }
            prev = idx;
            out.printf("  %7d  %s%n", idx + 1, Format.number(losses[idx]));
        }
    }

    /** Prints each parameter by name; tensors show their shape and their values, a few per line. */
    static void parameters(PrintWriter out, Map<String, Values> params, String indent) {
        int width = params.keySet().stream().mapToInt(String::length).max().orElse(1);
        for (Map.Entry<String, Values> e : params.entrySet()) {
            Values v = e.getValue();
            if (v.shape().length == 0) {
                out.printf("%s%-" + width + "s = %s%n", indent, e.getKey(), Format.number(v.get(0)));
                continue;
            }
            out.printf("%s%-" + width + "s   %s%n", indent, e.getKey(), v.shapeText());
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < v.size(); i++) {
                line.append(String.format("%12s", Format.number(v.get(i))));
                if ((i + 1) % PER_LINE == 0 || i == v.size() - 1) {
                    out.println(indent + " ".repeat(width) + " " + line);
                    line.setLength(0);
                }
            }
        }
    }

    /** Returns the data as a plot series. */
    static Series dataSeries(RunResult r) {
        return new Series("data (" + r.dataX().length + " points)", r.dataX(), r.dataY());
    }

    /** Returns a JSON-friendly number: the value, or {@code null} when it is NaN or infinite. */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Returns parameters (or gradients) in JSON form: name → {shape, values}. */
    static Map<String, Object> valuesJson(Map<String, Values> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Values> e : values.entrySet()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("shape", e.getValue().shape());
            List<Double> list = new ArrayList<>();
            for (double d : e.getValue().values()) {
                list.add(finite(d));
            }
            v.put("values", list);
            out.put(e.getKey(), v);
        }
        return out;
    }

    /** Returns a run in JSON form. */
    static Map<String, Object> runJson(RunResult r, boolean withLosses) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", r.backend());
        m.put("device", r.device());
        m.put("dtype", r.dtype());
        m.put("seed", r.seed());
        m.put("setting", r.plan().baseName());
        m.put("optimizer", r.plan().optimizer());
        m.put("lr", r.plan().lr());
        m.put("steps", r.plan().steps());
        m.put("zeroGrad", r.plan().zeroGrad());
        m.put("stepsRun", r.stepsRun());
        m.put("stopReason", r.stopReason().name());
        m.put("loss", r.lossName());
        m.put("firstLoss", finite(r.firstLoss()));
        m.put("finalLoss", finite(r.finalLoss()));
        m.put("msPerStep", finite(r.msPerStep()));
        m.put("totalMs", finite(r.totalMs()));
        m.put("initialParameters", valuesJson(r.initialParameters()));
        m.put("firstStepGradients", valuesJson(r.firstGradients()));
        m.put("parameters", valuesJson(r.parameters()));
        if (withLosses) {
            List<Double> losses = new ArrayList<>();
            for (double d : r.losses()) {
                losses.add(finite(d));
            }
            m.put("losses", losses);
        }
        return m;
    }

    /** Returns e.g. {@code sgd lr 0.01 · 1500 steps · seed 42} for plot subtitles. */
    static String settingsLine(RunResult r) {
        return r.plan().optimizer() + " lr " + Format.number(r.plan().lr()) + " · " + r.plan().steps() + " steps"
                + (r.plan().zeroGrad() ? "" : " (gradients never zeroed)") + " · seed " + r.seed();
    }
}
