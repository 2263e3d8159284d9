package io.polygrad.data;

import io.polygrad.Checks;
import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Generator;
import io.polygrad.Tensor;
import io.polygrad.train.Batch;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The batches of a {@link Dataset}, one epoch per {@link #iterator()}, like PyTorch's
 * {@code DataLoader}: a batch's inputs have shape {@code [B, sampleShape…]} and its targets are the
 * class labels, shape {@code [B]}, as an int64 tensor (the class-index form
 * {@link io.polygrad.loss.Losses#crossEntropy} takes, as PyTorch's {@code torch.long} targets).
 *
 * <pre>{@code
 * DataLoader train = DataLoader.of(data.train(), engine).batchSize(128).shuffle(true).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch batch : train) {           // a new order every epoch
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>With {@code shuffle}, each epoch's order is a permutation drawn from a polygrad
 * {@link Generator} (the engine's, unless another is given), so the same seed gives the same batches
 * in the same order on every backend. An epoch copies only the samples of the batch being made; the
 * data set itself is never copied. The last, smaller batch is kept unless {@code dropLast} is set.
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset dataset;
    private final Engine engine;
    private final Generator generator;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int[] sampleShape;
    private final int sampleSize;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.engine = b.engine;
        this.generator = b.generator != null ? b.generator : b.engine.generator();
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.sampleShape = dataset.sampleShape();
        int n = 1;
        for (int d : sampleShape) {
            n = Math.multiplyExact(n, d);
        }
        this.sampleSize = n;
    }

    /** Creates a builder of batches of {@code dataset} as tensors of {@code engine}. */
    public static Builder of(Dataset dataset, Engine engine) {
        return new Builder(dataset, engine);
    }

    /** Returns the data set this loader batches. */
    public Dataset dataset() {
        return dataset;
    }

    /** Returns the number of samples per batch (the last batch may have fewer unless dropped). */
    public int batchSize() {
        return batchSize;
    }

    /** Returns the number of batches in one epoch. */
    public int batchCount() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Returns one epoch of batches; with shuffling, each call draws a new order. */
    @Override
    public Iterator<Batch> iterator() {
        int[] order = order();
        int batches = batchCount();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the epoch has " + batches + " batches");
                }
                int from = next++ * batchSize;
                return batch(order, from, Math.min(from + batchSize, order.length));
            }
        };
    }

    /** Returns the sample indices of the next epoch: 0…n-1, or a permutation of them (Fisher–Yates). */
    int[] order() {
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = generator.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    private Batch batch(int[] order, int from, int to) {
        int count = to - from;
        float[] inputs = new float[count * sampleSize];
        long[] labels = new long[count];
        for (int k = 0; k < count; k++) {
            int index = order[from + k];
            dataset.copyInput(index, inputs, k * sampleSize);
            labels[k] = dataset.label(index);
        }
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = count;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        Tensor x;
        if (engine.dtype() == DType.FLOAT32) {
            x = engine.tensor(inputs, shape);
        } else {
            double[] wide = new double[inputs.length];
            for (int i = 0; i < wide.length; i++) {
                wide[i] = inputs[i];
            }
            x = engine.tensor(wide, engine.dtype(), shape);
        }
        return new Batch(x, engine.tensor(labels, count));
    }

    /** The builder of a {@link DataLoader}: batch size 1, no shuffling, the last batch kept, as PyTorch's defaults. */
    public static final class Builder {
        private final Dataset dataset;
        private final Engine engine;
        private Generator generator;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;

        private Builder(Dataset dataset, Engine engine) {
            this.dataset = Checks.notNull(dataset, "DataLoader.of", "dataset");
            this.engine = Checks.notNull(engine, "DataLoader.of", "engine");
        }

        /** Returns this builder with {@code size} samples per batch. */
        public Builder batchSize(int size) {
            if (size <= 0) {
                throw new IllegalArgumentException("batchSize must be positive, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** Returns this builder drawing a new sample order every epoch, or keeping the data set's order. */
        public Builder shuffle(boolean value) {
            this.shuffle = value;
            return this;
        }

        /** Returns this builder dropping the last batch when it is smaller than the batch size, or keeping it. */
        public Builder dropLast(boolean value) {
            this.dropLast = value;
            return this;
        }

        /** Returns this builder drawing the shuffling orders from {@code source} instead of the engine's generator. */
        public Builder generator(Generator source) {
            this.generator = Checks.notNull(source, "DataLoader.Builder.generator", "generator");
            return this;
        }

        /**
         * Returns the loader.
         *
         * @throws IllegalArgumentException if the data set is empty, or {@code dropLast} leaves no batch
         */
        public DataLoader build() {
            if (dataset.size() == 0) {
                throw new IllegalArgumentException("DataLoader: the data set is empty");
            }
            if (dropLast && dataset.size() < batchSize) {
                throw new IllegalArgumentException("DataLoader: dropLast with batch size " + batchSize + " leaves no "
                        + "batch of a data set of " + dataset.size() + " samples");
            }
            return new DataLoader(this);
        }
    }
}
