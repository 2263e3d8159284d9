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
        List<Integer> live = new java.util.ArrayList<>();
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
            live.add(i);
        }
        List<List<Integer>> readers = readers(calls, slots);
        List<Step> run = new java.util.ArrayList<>();
        for (int k = 0; k < live.size(); ) {
            int i = live.get(k);
            List<Integer> group = FUSE ? fusibleRun(calls, live, k, program) : List.of();
            if (group.size() >= 2) {
                FusedStep fused = fuse(group, calls, program, readers, keepable);
                if (fused != null) {
                    run.add(fused);
                    k += group.size();
                    continue;
                }
            }
            KernelProgram.Call call = calls.get(i);
            run.add(plannable[i] ? planned(call, program, keepable[call.results()[0]]) : call::invoke);
            k++;
        }
        this.steps = run.toArray(new Step[0]);
    }

    /**
     * Returns the fused loop of {@code group}, or {@code null} (the calls then run one by one) when this
     * JVM cannot load generated classes.
     */
    private FusedStep fuse(List<Integer> group, List<KernelProgram.Call> calls, KernelProgram program,
            List<List<Integer>> readers, boolean[] keepable) {
        try {
            return new FusedStep(group, calls, program, readers, keepable);
        } catch (IllegalStateException e) {
            java.util.logging.Logger.getLogger(ScratchProgram.class.getName()).fine(e.getMessage());
            return null;
        }
    }

    /** Whether captured steps fuse elementwise chains ({@code -Dpolygrad.scratch.fuse=false} turns it off). */
    private static final boolean FUSE = !"false".equals(System.getProperty("polygrad.scratch.fuse"));

    /** The most calls in one fused loop: keeps its bytecode under the JIT's 8,000-byte limit. */
    private static final int MAX_FUSED = 100;

    /** The longest sum fused into a loop: the eager sum adds in element order up to 64 elements. */
    private static final int MAX_FUSED_SUM = 64;

    private static List<List<Integer>> readers(List<KernelProgram.Call> calls, int slots) {
        List<List<Integer>> readers = new java.util.ArrayList<>();
        for (int s = 0; s < slots; s++) {
            readers.add(new java.util.ArrayList<>());
        }
        for (int i = 0; i < calls.size(); i++) {
            for (int s : slotsRead(calls.get(i))) {
                readers.get(s).add(i);
            }
        }
        return readers;
    }

    /**
     * Returns the calls from {@code live[k]} on that one loop can compute: fusible elementwise calls and
     * short sums over {@code n} elements of one dtype, none reading a sum the loop is still adding.
     */
    private List<Integer> fusibleRun(List<KernelProgram.Call> calls, List<Integer> live, int k, KernelProgram p) {
        List<Integer> group = new java.util.ArrayList<>();
        java.util.Set<Integer> sumsInGroup = new java.util.HashSet<>();
        int n = -1;
        DType dtype = null;
        for (int j = k; j < live.size() && group.size() < MAX_FUSED; j++) {
            KernelProgram.Call call = calls.get(live.get(j));
            int length = fusedLength(call, p);
            if (length < 0 || (n >= 0 && (length != n || p.dtype(call.results()[0]) != dtype))) {
                break;
            }
            boolean readsSum = false;
            for (int s : slotsRead(call)) {
                readsSum |= sumsInGroup.contains(s);
            }
            if (readsSum) {
                break;
            }
            n = length;
            dtype = p.dtype(call.results()[0]);
            group.add(live.get(j));
            if (call.method().getName().equals("reduce")) {
                sumsInGroup.add(call.results()[0]);
            }
        }
        return group;
    }

    /** Returns the elements a fused loop runs over for {@code call}, or -1 when it cannot be fused. */
    private int fusedLength(KernelProgram.Call call, KernelProgram p) {
        if (!isPlannable(call, p)) {
            return -1;
        }
        Object[] args = call.arguments();
        switch (call.method().getName()) {
            case "unary":
                return ScratchFusedKernel.fuses((UnaryOp) args[0]) ? Shapes.size(p.shape(call.results()[0])) : -1;
            case "binary":
                return ScratchFusedKernel.fuses((BinaryOp) args[0]) ? Shapes.size(p.shape(call.results()[0])) : -1;
            case "addScaled":
                return Shapes.size(p.shape(call.results()[0]));
            case "reduce": {
                ReduceOp op = (ReduceOp) args[0];
                int count = Shapes.size(p.shape(slot(args[1])));
                return (op == ReduceOp.SUM || op == ReduceOp.MEAN) && count <= MAX_FUSED_SUM ? count : -1;
            }
            default:
                return -1;
        }
    }

    /**
     * A run of calls computed in one generated loop ({@link ScratchFusedKernel}): values the rest of the
     * step does not read stay in the loop's locals; the others are stored into their slot's kept buffer,
     * or a new array when they leave the run or a generic kernel reads them.
     */
    private final class FusedStep implements Step {

        private final ScratchFusedKernel kernel;
        /** The slots of results made new each run (they leave the run or a generic kernel reads them). */
        private final int[] freshSlots;
        private final int[][] freshShapes;
        private final int[] freshLengths;
        private final boolean dbl;

        FusedStep(List<Integer> group, List<KernelProgram.Call> calls, KernelProgram p, List<List<Integer>> readers,
                boolean[] keepable) {
            KernelProgram.Call first = calls.get(group.get(0));
            this.dbl = p.dtype(first.results()[0]) == DType.FLOAT64;
            int n = fusedLength(first, p);
            ScratchFusedKernel.Builder b = new ScratchFusedKernel.Builder(dbl, n);
            java.util.Map<Integer, Integer> valueOf = new java.util.HashMap<>();
            java.util.Map<Integer, ScratchFusedKernel.Builder.Operand> arrayOf = new java.util.HashMap<>();
            List<Integer> written = new java.util.ArrayList<>();
            java.util.Set<Integer> members = new java.util.HashSet<>(group);
            java.util.function.IntFunction<ScratchFusedKernel.Builder.Operand> operand = slot -> {
                Integer v = valueOf.get(slot);
                if (v != null) {
                    return ScratchFusedKernel.Builder.value(v);
                }
                return arrayOf.computeIfAbsent(slot, s -> b.read(s, Shapes.size(p.shape(s))));
            };
            for (int i : group) {
                KernelProgram.Call call = calls.get(i);
                Object[] args = call.arguments();
                int result = call.results()[0];
                int v;
                switch (call.method().getName()) {
                    case "unary" -> v = b.unary((UnaryOp) args[0], operand.apply(slot(args[1])));
                    case "binary" -> v = b.binary((BinaryOp) args[0], operand.apply(slot(args[1])),
                            operand.apply(slot(args[2])));
                    case "addScaled" -> v = b.addScaled(operand.apply(slot(args[0])), (Double) args[1],
                            operand.apply(slot(args[2])));
                    default -> {
                        ScratchFusedKernel.Builder.Operand summed = operand.apply(slot(args[1]));
                        written.add(result);
                        b.sum(summed, b.write(result), args[0] == ReduceOp.MEAN);
                        continue;
                    }
                }
                valueOf.put(result, v);
                boolean needed = p.isOutput(result);
                for (int reader : readers.get(result)) {
                    needed |= !members.contains(reader);
                }
                if (needed) {
                    written.add(result);
                    b.store(v, b.write(result));
                }
            }
            this.kernel = b.build();
            List<Integer> fresh = new java.util.ArrayList<>();
            for (int s : written) {
                int len = Shapes.size(p.shape(s));
                if (keepable[s]) {
                    planned[s] = dbl ? new ScratchArray(backend, new double[len], p.shape(s).clone())
                            : new ScratchArray(backend, new float[len], p.shape(s).clone());
                } else {
                    fresh.add(s);
                }
            }
            this.freshSlots = fresh.stream().mapToInt(Integer::intValue).toArray();
            this.freshShapes = new int[freshSlots.length][];
            this.freshLengths = new int[freshSlots.length];
            for (int j = 0; j < freshSlots.length; j++) {
                freshShapes[j] = p.shape(freshSlots[j]).clone();
                freshLengths[j] = Shapes.size(freshShapes[j]);
            }
        }

        @Override
        public void run(BackendArray[] slots) {
            for (int j = 0; j < freshSlots.length; j++) {
                slots[freshSlots[j]] = dbl ? new ScratchArray(backend, new double[freshLengths[j]], freshShapes[j])
                        : new ScratchArray(backend, new float[freshLengths[j]], freshShapes[j]);
            }
            kernel.run(slots);
        }
    }

    /** Returns how many generated loops a run runs, for tests. */
    int fusedLoops() {
        int loops = 0;
        for (Step step : steps) {
            loops += step instanceof FusedStep ? 1 : 0;
        }
        return loops;
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
