package io.polygrad.spi;

/**
 * A backend's runnable form of a {@link KernelProgram}, made by {@link Backend#compile}: one call runs
 * every recorded kernel again on new inputs. It gives the arrays, values and errors the recorded calls
 * give when made one by one; how it gets there (buffers planned once and reused, calls fused) is the
 * backend's.
 */
@FunctionalInterface
public interface CompiledProgram {

    /**
     * Runs the program on {@code inputs} (one per input slot, of the recorded shapes and dtypes; they are
     * read, never changed or released) and returns the arrays of the output slots in order, which the
     * caller owns (one may be an input itself when a call returned its operand). Arrays made for the
     * other slots are released or kept for the next run, never handed out.
     */
    BackendArray[] run(BackendArray[] inputs);
}
