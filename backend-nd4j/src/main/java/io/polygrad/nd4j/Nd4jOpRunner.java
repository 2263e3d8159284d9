package io.polygrad.nd4j;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The runner of libnd4j custom ops, on the cheapest path ND4J offers: a reused, per-thread {@link OpContext}
 * and an output array allocated by the caller.
 *
 * <p>{@code Nd4j.exec(new AddOp(a, b))} costs about 18 µs for a three-element add on this project's
 * machines. Most of it is not arithmetic: ND4J allocates a native graph context per call (and
 * registers it with its deallocator service), runs a native shape function to size the output,
 * creates a fresh {@code DynamicCustomOp} (with a random UUID as its name) and copies arguments.
 * Here one op object per op name is kept only for its hash, each thread keeps one context per op
 * name, and outputs are preallocated, which leaves about 2 µs of executioner overhead plus the
 * output allocation.
 *
 * <p>One context per op name, not one per thread: libnd4j's {@code purge} clears a context's
 * arrays but not its integer/boolean arguments, and ND4J skips setting an empty argument list, so
 * a context shared by different ops would leak e.g. a reduction's axes into the next
 * {@code matmul} as transpose flags. An op name here is always called with the same kinds of
 * arguments, so its context never carries stale ones.
 */
final class Nd4jOpRunner {

    private static final Map<String, DynamicCustomOp> OPS = new ConcurrentHashMap<>();
    private static final ThreadLocal<Map<String, OpContext>> CONTEXTS = ThreadLocal.withInitial(HashMap::new);

    private Nd4jOpRunner() {
    }

    /**
     * Runs custom op {@code name} on {@code inputs} into the preallocated {@code output}.
     *
     * @param iArgs integer arguments, or {@code null} for none
     * @param bArgs boolean arguments, or {@code null} for none
     * @param dArgs data type arguments, or {@code null} for none
     */
    static void exec(String name, INDArray[] inputs, INDArray output, long[] iArgs, boolean[] bArgs,
                     DataType[] dArgs) {
        exec(name, inputs, new INDArray[] {output}, iArgs, bArgs, dArgs);
    }

    /** Runs op {@code name} on {@code inputs} into several preallocated {@code outputs}, as {@link #exec}. */
    static void exec(String name, INDArray[] inputs, INDArray[] outputs, long[] iArgs, boolean[] bArgs,
                     DataType[] dArgs) {
        if ((iArgs != null && iArgs.length == 0) || (bArgs != null && bArgs.length == 0)
                || (dArgs != null && dArgs.length == 0)) {
            // ND4J ignores an empty argument list, which would leave the previous call's arguments in place
            throw new IllegalArgumentException("op " + name + " called with an empty argument list; pass null");
        }
        DynamicCustomOp op = OPS.computeIfAbsent(name, n -> DynamicCustomOp.builder(n).build());
        OpContext ctx = CONTEXTS.get().computeIfAbsent(name, n -> Nd4j.getExecutioner().buildContext());
        ctx.purge();
        try {
            ctx.setInputArrays(inputs);
            ctx.setOutputArrays(outputs);
            if (iArgs != null) {
                ctx.setIArguments(iArgs);
            }
            if (bArgs != null) {
                ctx.setBArguments(bArgs);
            }
            if (dArgs != null) {
                ctx.setDArguments(dArgs);
            }
            Nd4j.getExecutioner().exec(op, ctx);
        } finally {
            // drop the Java references to this call's arrays so the context never keeps them alive
            ctx.purge();
        }
    }

    /** Runs custom op {@code name} without arguments. */
    static void exec(String name, INDArray[] inputs, INDArray output) {
        exec(name, inputs, output, null, null, null);
    }
}
