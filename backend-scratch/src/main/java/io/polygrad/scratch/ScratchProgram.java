package io.polygrad.scratch;

import io.polygrad.DType;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.CompiledProgram;
import io.polygrad.spi.KernelProgram;
import io.polygrad.spi.ReduceOp;
import io.polygrad.spi.Shapes;
import io.polygrad.spi.UnaryOp;
import java.util.List;

/**
 * The scratch backend's compiled form of a captured step: buffers planned once, kernels writing into
 * them. Calls whose arguments are all constant (a {@code full}, what is computed from it alone) run
 * once, here. The elementwise kernels, full reductions and {@code addScaled} on float32 and float64
 * write into a buffer kept for their slot between runs when only such kernels read it; a result that
 * leaves the run is made new each time, since arrays handed out never change. Every other call
 * (matmul, convolution, broadcasts that walk, int64) runs through the backend as it does eagerly. The
 * kernels are the eager ones, so a run gives the eager values bit for bit.
 */
final class ScratchProgram implements CompiledProgram {

    /** One kernel of a run. */
    private interface Step {
        void run(BackendArray[] slots);
    }

    private final ScratchBackend backend;
    private final int inputCount;
    private final int[] outputs;
    /** Per slot, the constant or kept array, or {@code null} when a run makes it. */
    private final BackendArray[] planned;
    private final Step[] steps;

    private ScratchProgram(ScratchBackend backend, KernelProgram program) {
        this.backend = backend;
        this.inputCount = program.inputCount();
        this.outputs = program.outputs();
        int slots = program.slotCount();
        List<KernelProgram.Call> calls = program.calls();
        boolean[] plannable = new boolean[calls.size()];
        int[] producer = new int[slots];
        java.util.Arrays.fill(producer, -1);
        for (int i = 0; i < calls.size(); i++) {
            plannable[i] = isPlannable(calls.get(i), program);
            for (int r : calls.get(i).results()) {
                producer[r] = i;
            }
        }
        // A slot's buffer may be kept between runs only when no call that can keep a reference to it (a
        // view, a generic kernel) reads it, and it does not leave the run.
        boolean[] keepable = new boolean[slots];
        for (int s = inputCount; s < slots; s++) {
            keepable[s] = producer[s] >= 0 && plannable[producer[s]] && !program.isOutput(s);
        }
        for (int i = 0; i < calls.size(); i++) {
            if (!plannable[i]) {
                for (int s : slotsRead(calls.get(i))) {
                    keepable[s] = false;
                }
            }
        }
        this.planned = new BackendArray[slots];
        boolean[] constant = new boolean[slots];
        java.util.List<Step> run = new java.util.ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            KernelProgram.Call call = calls.get(i);
            boolean allConstant = true;
            for (int s : slotsRead(call)) {
                allConstant &= constant[s];
            }
            boolean resultsStay = true;
            for (int r : call.results()) {
                resultsStay &= !program.isOutput(r);
            }
            if (allConstant && resultsStay) {
                call.invoke(planned);
                for (int r : call.results()) {
                    constant[r] = true;
                }
                continue;
            }
            run.add(plannable[i] ? planned(call, program, keepable[call.results()[0]]) : call::invoke);
        }
        this.steps = run.toArray(new Step[0]);
    }

    /** Returns the compiled form of {@code program}, every call of which went to {@code backend}. */
    static CompiledProgram compile(ScratchBackend backend, KernelProgram program) {
        return new ScratchProgram(backend, program);
    }

    @Override
    public BackendArray[] run(BackendArray[] inputs) {
        BackendArray[] slots = planned.clone();
        System.arraycopy(inputs, 0, slots, 0, inputCount);
        for (Step step : steps) {
            step.run(slots);
        }
        BackendArray[] out = new BackendArray[outputs.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = slots[outputs[i]];
        }
        return out;
    }

    private static int[] slotsRead(KernelProgram.Call call) {
        java.util.List<Integer> read = new java.util.ArrayList<>();
        for (Object arg : call.arguments()) {
            if (arg instanceof KernelProgram.Slot s) {
                read.add(s.index());
            } else if (arg instanceof KernelProgram.Slot[] many) {
                for (KernelProgram.Slot s : many) {
                    read.add(s.index());
                }
            }
        }
        return read.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean isFloat(DType t) {
        return t == DType.FLOAT32 || t == DType.FLOAT64;
    }

    /** Returns whether the call is one this program runs into a planned buffer. */
    private boolean isPlannable(KernelProgram.Call call, KernelProgram program) {
        if (call.target() != backend || call.results().length != 1) {
            return false;
        }
        Object[] args = call.arguments();
        int out = call.results()[0];
        DType dtype = program.dtype(out);
        if (!isFloat(dtype)) {
            return false;
        }
        int n = Shapes.size(program.shape(out));
        switch (call.method().getName()) {
            case "unary":
                return args.length == 2 && program.dtype(slot(args[1])) == dtype;
            case "binary": {
                if (args.length != 3) {
                    return false;
                }
                int a = slot(args[1]);
                int b = slot(args[2]);
                return program.dtype(a) == dtype && program.dtype(b) == dtype && direct(program, a, n)
                        && direct(program, b, n);
            }
            case "addScaled":
                return args.length == 3 && program.dtype(slot(args[0])) == dtype
                        && Shapes.size(program.shape(slot(args[0]))) == n
                        && Shapes.size(program.shape(slot(args[2]))) == n;
            case "reduce": {
                if (args.length != 4 || n != 1) {
                    return false;
                }
                ReduceOp op = (ReduceOp) args[0];
                return (op == ReduceOp.SUM || op == ReduceOp.MEAN || op == ReduceOp.MAX)
                        && program.dtype(slot(args[1])) == dtype;
            }
            default:
                return false;
        }
    }

    private static boolean direct(KernelProgram program, int slot, int n) {
        int len = Shapes.size(program.shape(slot));
        return len == n || len == 1;
    }

    private static int slot(Object arg) {
        return ((KernelProgram.Slot) arg).index();
    }

    /** Returns the step for a plannable call, writing into a kept buffer when {@code keep}. */
    private Step planned(KernelProgram.Call call, KernelProgram program, boolean keep) {
        Object[] args = call.arguments();
        int out = call.results()[0];
        int[] shape = program.shape(out).clone();
        boolean single = program.dtype(out) == DType.FLOAT32;
        int n = Shapes.size(shape);
        ScratchArray kept = null;
        if (keep) {
            kept = single ? new ScratchArray(backend, new float[n], shape) : new ScratchArray(backend, new double[n], shape);
            planned[out] = kept;
        }
        Output target = new Output(backend, kept, out, shape, single, n);
        switch (call.method().getName()) {
            case "unary": {
                UnaryOp op = (UnaryOp) args[0];
                int a = slot(args[1]);
                return single
                        ? slots -> ScratchElementwise.unary(op, arg(slots, a).f, target.floats(slots))
                        : slots -> ScratchElementwise.unary(op, arg(slots, a).d, target.doubles(slots));
            }
            case "binary": {
                BinaryOp op = (BinaryOp) args[0];
                int a = slot(args[1]);
                int b = slot(args[2]);
                return single
                        ? slots -> ScratchElementwise.direct(op, arg(slots, a).f, arg(slots, b).f, target.floats(slots), n)
                        : slots -> ScratchElementwise.direct(op, arg(slots, a).d, arg(slots, b).d, target.doubles(slots), n);
            }
            case "addScaled": {
                int a = slot(args[0]);
                double alpha = (Double) args[1];
                int b = slot(args[2]);
                return single
                        ? slots -> ScratchElementwise.addScaled(arg(slots, a).f, alpha, arg(slots, b).f, target.floats(slots))
                        : slots -> ScratchElementwise.addScaled(arg(slots, a).d, alpha, arg(slots, b).d, target.doubles(slots));
            }
            case "reduce": {
                ReduceOp op = (ReduceOp) args[0];
                int a = slot(args[1]);
                int count = Shapes.size(program.shape(a));
                return single
                        ? slots -> ScratchReductions.reduce(op, arg(slots, a).f, null, target.floats(slots), count)
                        : slots -> ScratchReductions.reduce(op, arg(slots, a).d, null, target.doubles(slots), count);
            }
            default:
                throw new IllegalStateException("scratch program: no planned kernel for " + call);
        }
    }

    private static ScratchArray arg(BackendArray[] slots, int slot) {
        return (ScratchArray) slots[slot];
    }

    /**
     * Where a planned kernel writes: the kept buffer, already in its slot, or a new array put in the slot
     * for a result that leaves the run.
     */
    private record Output(ScratchBackend backend, ScratchArray kept, int slot, int[] shape, boolean single, int n) {

        float[] floats(BackendArray[] slots) {
            if (kept != null) {
                return kept.f;
            }
            float[] f = new float[n];
            slots[slot] = new ScratchArray(backend, f, shape);
            return f;
        }

        double[] doubles(BackendArray[] slots) {
            if (kept != null) {
                return kept.d;
            }
            double[] d = new double[n];
            slots[slot] = new ScratchArray(backend, d, shape);
            return d;
        }
    }
}
