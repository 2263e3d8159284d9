package io.polygrad.spark;

import io.polygrad.Tensor;
import io.polygrad.optim.Optimizer;
import java.io.Serializable;
import java.util.Map;

/**
 * The slot through which a {@link SparkTrainer}'s checkpoints save and restore the optimizer's state
 * (momentum buffers, Adam's moments and step count), so that a job resumed from a checkpoint continues
 * the same trajectory with a stateful optimizer.
 *
 * <p>Task 0 calls {@link #state} after the epoch's last step and the tensors are written, under their
 * names, to {@code epoch-NNNN.optimizer.safetensors} next to the parameters; on resume every task builds
 * its optimizer from the spec and calls {@link #restore} with those tensors read back on its engine. The
 * default, {@link #none()}, saves nothing: that is exact for a stateless optimizer ({@code sgd} without
 * momentum), and the trainer refuses to resume any other optimizer from a checkpoint without state.
 *
 * <pre>{@code
 * // once Optimizer has stateDict()/loadStateDict():
 * builder.optimizerCheckpoint(OptimizerCheckpoint.of(Optimizer::stateDict, Optimizer::loadStateDict));
 * }</pre>
 */
public interface OptimizerCheckpoint extends Serializable {

    /**
     * Returns the optimizer's state as named tensors (copies or views; they are written before the next
     * step), or {@code null} if this slot saves no state.
     */
    Map<String, Tensor> state(Optimizer optimizer);

    /** Restores {@code state}, as {@link #state} returned it in the checkpointed job, into {@code optimizer}. */
    void restore(Optimizer optimizer, Map<String, Tensor> state);

    /** Returns the slot that saves no optimizer state (the default). */
    static OptimizerCheckpoint none() {
        return None.INSTANCE;
    }

    /** Returns the slot made of two serializable functions, e.g. method references. */
    static OptimizerCheckpoint of(Saver saver, Restorer restorer) {
        java.util.Objects.requireNonNull(saver, "saver");
        java.util.Objects.requireNonNull(restorer, "restorer");
        return new OptimizerCheckpoint() {
            private static final long serialVersionUID = 1L;

            @Override
            public Map<String, Tensor> state(Optimizer optimizer) {
                return saver.state(optimizer);
            }

            @Override
            public void restore(Optimizer optimizer, Map<String, Tensor> state) {
                restorer.restore(optimizer, state);
            }
        };
    }

    /** The saving half of {@link #of}. */
    @FunctionalInterface
    interface Saver extends Serializable {
        /** Returns the optimizer's state as named tensors. */
        Map<String, Tensor> state(Optimizer optimizer);
    }

    /** The restoring half of {@link #of}. */
    @FunctionalInterface
    interface Restorer extends Serializable {
        /** Restores saved state into the optimizer. */
        void restore(Optimizer optimizer, Map<String, Tensor> state);
    }

    /** The slot that saves nothing. */
    enum None implements OptimizerCheckpoint {
        /** The only instance. */
        INSTANCE;

        @Override
        public Map<String, Tensor> state(Optimizer optimizer) {
            return null;
        }

        @Override
        public void restore(Optimizer optimizer, Map<String, Tensor> state) {
            // nothing was saved
        }
    }
}
