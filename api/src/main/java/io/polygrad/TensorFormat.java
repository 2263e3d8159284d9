package io.polygrad;

/** The formatter of tensor values as PyTorch prints them (4 decimals, nested brackets, long dims elided). */
final class TensorFormat {

    private static final int EDGE = 3;
    private static final int SUMMARIZE_ABOVE = 1000;

    private TensorFormat() {
    }

    static void append(StringBuilder sb, double[] values, int[] shape, int indent) {
        if (shape.length == 0) {
            sb.append(format(values[0], useScientific(values)));
            return;
        }
        boolean sci = useScientific(values);
        boolean summarize = values.length > SUMMARIZE_ABOVE;
        appendTexts(sb, i -> format(values[i], sci), shape, 0, 0, indent, summarize);
    }

    /** Appends int64 values as PyTorch prints them: whole numbers right-aligned to one width, e.g. {@code [ 1, 10]}. */
    static void appendLongs(StringBuilder sb, long[] values, int[] shape, int indent) {
        int width = 1;
        for (long v : values) {
            width = Math.max(width, Long.toString(v).length());
        }
        if (shape.length == 0) {
            sb.append(Long.toString(values[0]));
            return;
        }
        int w = width;
        appendTexts(sb, i -> {
            String t = Long.toString(values[i]);
            return " ".repeat(w - t.length()) + t;
        }, shape, 0, 0, indent, values.length > SUMMARIZE_ABOVE);
    }

    /** Appends the elements of dimension {@code dim} from {@code offset}, each as {@code text} formats it. */
    private static void appendTexts(StringBuilder sb, java.util.function.IntFunction<String> text, int[] shape, int dim,
            int offset, int indent, boolean summarize) {
        int n = shape[dim];
        int stride = 1;
        for (int i = dim + 1; i < shape.length; i++) {
            stride *= shape[i];
        }
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(dim == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(indent + dim + 1));
                i = n - EDGE - 1;
                continue;
            }
            if (dim == shape.length - 1) {
                sb.append(text.apply(offset + i));
            } else {
                appendTexts(sb, text, shape, dim + 1, offset + i * stride, indent, summarize);
            }
            if (i < n - 1) {
                sb.append(dim == shape.length - 1 ? ", " : ",\n" + " ".repeat(indent + dim + 1));
            }
        }
        sb.append(']');
    }

    private static boolean useScientific(double[] values) {
        double max = 0;
        double min = Double.POSITIVE_INFINITY;
        for (double d : values) {
            if (Double.isFinite(d) && d != 0) {
                max = Math.max(max, Math.abs(d));
                min = Math.min(min, Math.abs(d));
            }
        }
        return max >= 1e8 || (min < 1e-4 && min > 0) || (max / Math.max(min, Double.MIN_VALUE) > 1000 && max > 1);
    }

    private static String format(double d, boolean sci) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return sci ? String.format(java.util.Locale.ROOT, "%.4e", d) : String.format(java.util.Locale.ROOT, "%.4f", d);
    }
}
