package io.polygrad.data;

import io.polygrad.Checks;
import java.util.Objects;

/**
 * A set of grey-scale images with one integer class label each, as read from a pair of IDX files:
 * random access by index, pixels as unsigned bytes turned into floats on request. As a
 * {@link Dataset} each sample has shape {@code [1, rows, columns]} (one channel, as PyTorch's
 * {@code ToTensor} gives) and values {@code (p / 255 - mean) / std}, by default in [0, 1]; see
 * {@link #normalized}.
 *
 * <pre>{@code
 * LabelledImages train = FashionMnist.load(dir).train();
 * float[] image = new float[train.pixelsPerImage()];
 * train.copyPixels(0, image, 0);          // values in [0, 1]
 * int label = train.label(0);             // 9: "Ankle boot"
 * }</pre>
 */
public final class LabelledImages implements Dataset {

    private final String name;
    private final byte[] pixels;
    private final byte[] labels;
    private final int offset;
    private final int size;
    private final int rows;
    private final int columns;
    private final int classCount;
    private final float mean;
    private final float std;

    LabelledImages(String name, byte[] pixels, byte[] labels, int offset, int size, int rows, int columns,
            int classCount) {
        this(name, pixels, labels, offset, size, rows, columns, classCount, 0f, 1f);
    }

    private LabelledImages(String name, byte[] pixels, byte[] labels, int offset, int size, int rows, int columns,
            int classCount, float mean, float std) {
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.offset = offset;
        this.size = size;
        this.rows = rows;
        this.columns = columns;
        this.classCount = classCount;
        this.mean = mean;
        this.std = std;
    }

    /** Returns the name this set was loaded under, e.g. {@code fashion-mnist/train}. */
    public String name() {
        return name;
    }

    /** Returns the number of images. */
    @Override
    public int size() {
        return size;
    }

    /** Returns the height of each image in pixels. */
    public int rows() {
        return rows;
    }

    /** Returns the width of each image in pixels. */
    public int columns() {
        return columns;
    }

    /** Returns {@code rows() * columns()}. */
    public int pixelsPerImage() {
        return rows * columns;
    }

    /** Returns the number of classes C; every label is in [0, C). */
    @Override
    public int classCount() {
        return classCount;
    }

    /** Returns the class label of image {@code index}, in [0, {@link #classCount()}). */
    @Override
    public int label(int index) {
        return labels[offset + checkIndex(index)] & 0xFF;
    }

    /** Returns the pixel at ({@code row}, {@code column}) of image {@code index} as an unsigned byte value in [0, 255]. */
    public int pixel(int index, int row, int column) {
        Objects.checkIndex(row, rows);
        Objects.checkIndex(column, columns);
        return pixels[(offset + checkIndex(index)) * pixelsPerImage() + row * columns + column] & 0xFF;
    }

    /**
     * Copies image {@code index}'s pixels in row-major order into {@code target} from
     * {@code targetOffset}, scaled to [0, 1] (byte value / 255).
     */
    public void copyPixels(int index, float[] target, int targetOffset) {
        copyPixels(index, target, targetOffset, 0f, 1f);
    }

    /**
     * Copies image {@code index}'s pixels, scaled to [0, 1] and then normalised as
     * {@code (p - mean) / std} (PyTorch's {@code transforms.Normalize}), into {@code target} from
     * {@code targetOffset}.
     */
    public void copyPixels(int index, float[] target, int targetOffset, float mean, float std) {
        Checks.notNull(target, "LabelledImages.copyPixels", "target");
        checkNormalization(mean, std);
        int n = pixelsPerImage();
        Objects.checkFromIndexSize(targetOffset, n, target.length);
        int from = (offset + checkIndex(index)) * n;
        float scale = 1f / (255f * std);
        float shift = mean / std;
        for (int k = 0; k < n; k++) {
            target[targetOffset + k] = (pixels[from + k] & 0xFF) * scale - shift;
        }
    }

    /** Returns {@code [1, rows, columns]}: one channel, as PyTorch's {@code ToTensor} gives. */
    @Override
    public int[] sampleShape() {
        return new int[] {1, rows, columns};
    }

    /** Copies image {@code index}'s pixels, scaled and normalised as this set says, into {@code target}. */
    @Override
    public void copyInput(int index, float[] target, int offset) {
        copyPixels(index, target, offset, mean, std);
    }

    /**
     * Returns this set, sharing its memory, with inputs normalised as {@code (p / 255 - mean) / std}
     * (PyTorch's {@code transforms.Normalize} after {@code ToTensor}).
     */
    public LabelledImages normalized(float newMean, float newStd) {
        checkNormalization(newMean, newStd);
        return new LabelledImages(name, pixels, labels, offset, size, rows, columns, classCount, newMean, newStd);
    }

    /** Returns images {@code [from, to)} as a set of their own, sharing this set's memory and normalisation. */
    public LabelledImages slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size);
        return new LabelledImages(name + "[" + from + ":" + to + "]", pixels, labels, offset + from, to - from,
                rows, columns, classCount, mean, std);
    }

    /**
     * Returns the mean of this set's pixels scaled to [0, 1] (before any normalisation): with
     * {@link #pixelStd()} the values for {@link #normalized}, as PyTorch users compute them for
     * {@code transforms.Normalize} (0.2860 for Fashion-MNIST's 60,000 training images).
     */
    public double pixelMean() {
        return pixelMoments()[0];
    }

    /**
     * Returns the population standard deviation of this set's pixels scaled to [0, 1] (0.3530 for
     * Fashion-MNIST's training images); 0 for a set whose pixels are all equal.
     */
    public double pixelStd() {
        double[] m = pixelMoments();
        return Math.sqrt(Math.max(0, m[1] - m[0] * m[0]));
    }

    /** Returns the mean and the mean square of the scaled pixels, from a histogram of the byte values. */
    private double[] pixelMoments() {
        long[] histogram = new long[256];
        int n = pixelsPerImage();
        int from = offset * n;
        int to = from + size * n;
        for (int k = from; k < to; k++) {
            histogram[pixels[k] & 0xFF]++;
        }
        double sum = 0;
        double squares = 0;
        for (int v = 0; v < 256; v++) {
            double p = v / 255.0;
            sum += histogram[v] * p;
            squares += histogram[v] * p * p;
        }
        long count = (long) size * n;
        return count == 0 ? new double[] {0, 0} : new double[] {sum / count, squares / count};
    }

    /** Returns how many images carry each label, indexed by label. */
    public int[] classCounts() {
        int[] counts = new int[classCount];
        for (int i = 0; i < size; i++) {
            counts[labels[offset + i] & 0xFF]++;
        }
        return counts;
    }

    private static void checkNormalization(float mean, float std) {
        if (!(std > 0) || !Float.isFinite(std) || !Float.isFinite(mean)) {
            throw new IllegalArgumentException("normalisation needs a finite mean and a positive, finite std, got mean "
                    + mean + " and std " + std);
        }
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("image " + index + " is out of range for " + name + " of " + size
                    + " images");
        }
        return index;
    }

    @Override
    public String toString() {
        return name + ": " + size + " images of " + rows + "x" + columns + ", " + classCount + " classes";
    }
}
