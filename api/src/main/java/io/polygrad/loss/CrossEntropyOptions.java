package io.polygrad.loss;

import static io.polygrad.Checks.notNull;

import io.polygrad.Tensor;

/**
 * The options of {@link Losses#crossEntropy(Tensor, Tensor, CrossEntropyOptions)} and
 * {@link Losses#nll(Tensor, Tensor, CrossEntropyOptions)}, with PyTorch's defaults: no class
 * {@code weight}, {@code ignoreIndex} -100, {@code labelSmoothing} 0 and the mean.
 *
 * <pre>{@code
 * jshell> CrossEntropyOptions o = CrossEntropyOptions.builder().weight(w).ignoreIndex(0).labelSmoothing(0.1).build();
 * jshell> Losses.crossEntropy(logits, labels, o)      // nn.CrossEntropyLoss(weight=w, ignore_index=0, label_smoothing=0.1)
 * }</pre>
 *
 * @param weight         a 1-d float tensor of one weight per class, or {@code null} for all ones
 * @param ignoreIndex    a class index whose samples contribute nothing (and are left out of the mean)
 * @param labelSmoothing the smoothing {@code ε} in {@code [0, 1]} (cross-entropy only)
 * @param reduction      how per-sample losses are reduced
 */
public record CrossEntropyOptions(Tensor weight, long ignoreIndex, double labelSmoothing, Reduction reduction) {

    /** PyTorch's default {@code ignore_index}. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    /** Creates options, rejecting a null reduction and a smoothing outside {@code [0, 1]}. */
    public CrossEntropyOptions {
        notNull(reduction, "CrossEntropyOptions", "reduction");
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyOptions: labelSmoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
    }

    /** Returns PyTorch's defaults: no weight, ignore index -100, no smoothing, the mean. */
    public static CrossEntropyOptions defaults() {
        return builder().build();
    }

    /** Returns the defaults with {@code reduction}. */
    public static CrossEntropyOptions of(Reduction reduction) {
        return builder().reduction(reduction).build();
    }

    /** Returns a builder holding PyTorch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The builder of {@link CrossEntropyOptions}. */
    public static final class Builder {
        private Tensor weight;
        private long ignoreIndex = DEFAULT_IGNORE_INDEX;
        private double labelSmoothing;
        private Reduction reduction = Reduction.MEAN;

        private Builder() {
        }

        /** Returns this builder with a weight per class (a 1-d float tensor of C elements; {@code null}: none). */
        public Builder weight(Tensor value) {
            weight = value;
            return this;
        }

        /** Returns this builder with the class index whose samples are ignored (default -100). */
        public Builder ignoreIndex(long value) {
            ignoreIndex = value;
            return this;
        }

        /** Returns this builder with the label smoothing {@code ε} in {@code [0, 1]} (default 0). */
        public Builder labelSmoothing(double value) {
            labelSmoothing = value;
            return this;
        }

        /** Returns this builder with the reduction (default {@link Reduction#MEAN}). */
        public Builder reduction(Reduction value) {
            reduction = value;
            return this;
        }

        /** Returns the options. */
        public CrossEntropyOptions build() {
            return new CrossEntropyOptions(weight, ignoreIndex, labelSmoothing, reduction);
        }
    }
}
