package io.polygrad.scratch;

/**
 * Per-thread scratch space of the scratch kernels: a buffer a kernel needs only while it runs (a
 * transposed matmul operand) is taken from the calling thread's spares and handed back when the
 * kernel ends, so a training step does not allocate, and the garbage collector does not sweep, a copy
 * of every transposed weight and gradient.
 *
 * <p>A taken buffer leaves the thread's spares until it is released, so a kernel that re-enters on
 * the same thread (a fork-join worker helping with another task while it waits) gets a fresh array
 * instead of one in use. Each thread keeps at most {@value #SLOTS} spares of each type, none longer
 * than {@value #MAX_RETAINED} elements (8 MiB of floats); longer buffers are left to the garbage
 * collector. A buffer's contents are whatever its last user left: callers overwrite what they read.
 */
final class ScratchBuffers {

    /** The longest buffer a thread keeps for reuse, in elements. */
    static final int MAX_RETAINED = 1 << 21;
    /** How many spare buffers of each type a thread keeps. */
    static final int SLOTS = 2;

    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][]);
    private static final ThreadLocal<double[][]> DOUBLES = ThreadLocal.withInitial(() -> new double[SLOTS][]);

    private ScratchBuffers() {
    }

    /** Returns a float buffer of at least {@code length} elements, a spare of this thread when one is long enough. */
    static float[] floats(int length) {
        float[][] spares = FLOATS.get();
        for (int i = 0; i < SLOTS; i++) {
            float[] s = spares[i];
            if (s != null && s.length >= length) {
                spares[i] = null;
                return s;
            }
        }
        return new float[length];
    }

    /** Returns a double buffer of at least {@code length} elements, a spare of this thread when one is long enough. */
    static double[] doubles(int length) {
        double[][] spares = DOUBLES.get();
        for (int i = 0; i < SLOTS; i++) {
            double[] s = spares[i];
            if (s != null && s.length >= length) {
                spares[i] = null;
                return s;
            }
        }
        return new double[length];
    }

    /**
     * Hands {@code buffer} back to this thread's spares, unless it is {@code operand} (the kernel used
     * its argument directly and took nothing) or longer than {@link #MAX_RETAINED}; it replaces the
     * shortest spare when every slot is taken.
     */
    static void release(float[] buffer, float[] operand) {
        if (buffer == operand || buffer.length > MAX_RETAINED) {
            return;
        }
        float[][] spares = FLOATS.get();
        int slot = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (spares[i] == null) {
                slot = i;
                break;
            }
            if (spares[i].length < spares[slot].length) {
                slot = i;
            }
        }
        if (spares[slot] == null || spares[slot].length < buffer.length) {
            spares[slot] = buffer;
        }
    }

    /** Hands {@code buffer} back to this thread's spares; see {@link #release(float[], float[])}. */
    static void release(double[] buffer, double[] operand) {
        if (buffer == operand || buffer.length > MAX_RETAINED) {
            return;
        }
        double[][] spares = DOUBLES.get();
        int slot = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (spares[i] == null) {
                slot = i;
                break;
            }
            if (spares[i].length < spares[slot].length) {
                slot = i;
            }
        }
        if (spares[slot] == null || spares[slot].length < buffer.length) {
            spares[slot] = buffer;
        }
    }
}
