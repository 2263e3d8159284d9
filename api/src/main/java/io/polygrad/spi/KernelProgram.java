package io.polygrad.spi;

import io.polygrad.DType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

/**
 * The backend calls of one captured training step ({@code io.polygrad.CapturedStep}), in the order
 * they ran, which {@link Backend#compile} turns into a {@link CompiledProgram}. Arrays live in numbered
 * slots: slots {@code 0 .. inputCount()-1} hold the step's inputs (a parameter's data, a batch, an
 * optimizer's state), and each call's results take the next free slots. Every slot has the shape and
 * dtype it had when the step was recorded; a replay gets inputs of exactly those.
 *
 * <p>A call's arguments are those it was recorded with, except that each {@link BackendArray} is a
 * {@link Slot} and each {@code BackendArray[]} a {@code Slot[]}. The program is immutable; arrays of
 * numbers among the arguments must not be changed.
 */
public final class KernelProgram {

    /** A reference to the array held in slot {@code index}: a call's array argument. */
    public record Slot(int index) {
    }

    /**
     * One recorded call: {@code method} invoked on {@code target} (the backend or one of its kernel
     * families, such as {@link ConvolutionKernels}) with {@code arguments}; the array it returned, or each
     * array of the {@code BackendArray[]} it returned, went into the slots {@code results}. A call with no
     * results and a {@code null} target is a static check that only reads its arrays and may throw (the
     * range of class indices a loss reads).
     */
    public record Call(Object target, Method method, Object[] arguments, int[] results) {

        /** Returns the arguments with each {@link Slot} replaced by the array {@code slots} holds there. */
        public Object[] resolve(BackendArray[] slots) {
            Object[] out = arguments.clone();
            for (int i = 0; i < out.length; i++) {
                if (out[i] instanceof Slot s) {
                    out[i] = slots[s.index()];
                } else if (out[i] instanceof Slot[] many) {
                    BackendArray[] arrays = new BackendArray[many.length];
                    for (int j = 0; j < many.length; j++) {
                        arrays[j] = slots[many[j].index()];
                    }
                    out[i] = arrays;
                }
            }
            return out;
        }

        /** Invokes the call on the arrays in {@code slots} and stores what it returns in its result slots. */
        public void invoke(BackendArray[] slots) {
            Object returned;
            try {
                returned = method.invoke(target, resolve(slots));
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("replaying " + method.getName() + " failed", cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("replaying " + method.getName() + ": " + e.getMessage(), e);
            }
            if (results.length == 0) {
                return;
            }
            if (method.getReturnType() == BackendArray.class) {
                slots[results[0]] = (BackendArray) returned;
            } else {
                BackendArray[] many = (BackendArray[]) returned;
                for (int j = 0; j < results.length; j++) {
                    slots[results[j]] = many[j];
                }
            }
        }

        /** Returns the method's name and the slots it read and wrote, e.g. {@code binary(MUL, #0, #3) -> #5}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(method.getName()).append('(');
            for (int i = 0; i < arguments.length; i++) {
                sb.append(i == 0 ? "" : ", ").append(describe(arguments[i]));
            }
            return sb.append(") -> ").append(Arrays.toString(results)).toString();
        }

        private static String describe(Object arg) {
            if (arg instanceof Slot s) {
                return "#" + s.index();
            }
            if (arg instanceof Slot[] many) {
                StringBuilder sb = new StringBuilder("[");
                for (int j = 0; j < many.length; j++) {
                    sb.append(j == 0 ? "#" : ", #").append(many[j].index());
                }
                return sb.append(']').toString();
            }
            if (arg instanceof int[] ints) {
                return Arrays.toString(ints);
            }
            return String.valueOf(arg);
        }
    }

    private final int inputCount;
    private final List<Call> calls;
    private final int[] outputs;
    private final int[][] shapes;
    private final DType[] dtypes;

    /**
     * Creates a program of {@code calls} over {@code shapes.length} slots, the first {@code inputCount}
     * of them inputs, returning the arrays of the slots {@code outputs}.
     */
    public KernelProgram(int inputCount, List<Call> calls, int[] outputs, int[][] shapes, DType[] dtypes) {
        if (shapes.length != dtypes.length || inputCount > shapes.length) {
            throw new IllegalArgumentException("KernelProgram: " + shapes.length + " slot shapes, " + dtypes.length
                    + " slot dtypes and " + inputCount + " inputs do not fit together");
        }
        this.inputCount = inputCount;
        this.calls = List.copyOf(calls);
        this.outputs = outputs.clone();
        this.shapes = shapes;
        this.dtypes = dtypes;
    }

    /** Returns the number of input slots. */
    public int inputCount() {
        return inputCount;
    }

    /** Returns the number of slots: inputs and every call's results. */
    public int slotCount() {
        return shapes.length;
    }

    /** Returns the calls in the order they ran. */
    public List<Call> calls() {
        return calls;
    }

    /** Returns the slots whose arrays a run returns, in order; they outlive the run. */
    public int[] outputs() {
        return outputs.clone();
    }

    /** Returns whether slot {@code slot} is one of the {@link #outputs()}. */
    public boolean isOutput(int slot) {
        for (int o : outputs) {
            if (o == slot) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the shape slot {@code slot} had when the step was recorded (do not change it), or
     * {@code null} for a result the call left out (an optional gradient it was not asked for).
     */
    public int[] shape(int slot) {
        return shapes[slot];
    }

    /** Returns the dtype slot {@code slot} had when the step was recorded, or {@code null} like {@link #shape}. */
    public DType dtype(int slot) {
        return dtypes[slot];
    }

    /**
     * Returns the program that replays the calls one by one through the backend's own methods, each
     * making its result as it does eagerly, and releases every array it made but does not return: the
     * default of {@link Backend#compile}, right on any backend.
     */
    public CompiledProgram interpreted() {
        return inputs -> {
            BackendArray[] slots = new BackendArray[slotCount()];
            System.arraycopy(inputs, 0, slots, 0, inputCount);
            try {
                for (Call call : calls) {
                    call.invoke(slots);
                }
                BackendArray[] out = new BackendArray[outputs.length];
                for (int i = 0; i < out.length; i++) {
                    out[i] = slots[outputs[i]];
                }
                releaseIntermediates(slots, inputs, out);
                return out;
            } catch (RuntimeException | Error e) {
                releaseIntermediates(slots, inputs, new BackendArray[0]);
                throw e;
            }
        };
    }

    /**
     * Closes every array in {@code slots} past the inputs that is neither one of {@code inputs} nor one of
     * {@code kept} (an op may return its operand itself), each once.
     */
    public void releaseIntermediates(BackendArray[] slots, BackendArray[] inputs, BackendArray[] kept) {
        for (int s = inputCount; s < slots.length; s++) {
            BackendArray a = slots[s];
            if (a == null || contains(inputs, a) || contains(kept, a) || a.isClosed()) {
                continue;
            }
            a.close();
        }
    }

    private static boolean contains(BackendArray[] arrays, BackendArray a) {
        for (BackendArray b : arrays) {
            if (b == a) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("KernelProgram[").append(inputCount).append(" inputs, ")
                .append(calls.size()).append(" calls, outputs ").append(Arrays.toString(outputs)).append(']');
        for (Call c : calls) {
            sb.append("\n  ").append(c);
        }
        return sb.toString();
    }
}
