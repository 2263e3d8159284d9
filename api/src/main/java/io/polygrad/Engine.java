package io.polygrad;

import static io.polygrad.Checks.notNull;

import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.Shapes;
import jakarta.inject.Inject;

/**
 * The factory of tensors on one backend, with a default dtype and the seeded {@link Generator}
 * that makes every initial value.
 *
 * <p>Get one from {@link Polygrad#engine()} (configuration decides the backend) or from a Guice
 * injector built with {@link io.polygrad.config.PolygradModule} and a backend module.
 *
 * <pre>{@code
 * Engine engine = Polygrad.engine();
 * Tensor x = engine.linspace(-1, 1, 20);
 * Tensor w = engine.randn(3, 1).requiresGrad(true);
 * }</pre>
 *
 * <p>The generator is shared by the engine and not thread-safe; draw from one thread at a time.
 */
public final class Engine {

    /** The most elements {@link #arange} makes: the largest Java array the JVM reliably allocates. */
    private static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Backend backend;
    private final PolygradConfig config;
    private final Generator generator;

    /** Creates an engine on {@code backend} with the dtype and seed of {@code config}. */
    @Inject
    public Engine(Backend backend, PolygradConfig config) {
        this.backend = notNull(backend, "Engine", "backend");
        this.config = notNull(config, "Engine", "config");
        this.generator = new Generator(config.seed());
    }

    /** Creates the view of {@code base} in another dtype: the same backend and the same generator. */
    private Engine(Engine base, DType dtype) {
        this.backend = base.backend;
        this.config = base.config.withDType(dtype);
        this.generator = base.generator;
    }

    /**
     * Returns an engine on this engine's backend (and device) whose tensors default to {@code dtype}; it
     * shares this engine's {@link #generator()}, so draws from either continue one random stream and
     * {@link #manualSeed} on either reseeds both, as PyTorch's one default generator does. This engine
     * itself when the dtype is already {@code dtype}.
     *
     * <pre>{@code
     * jshell> Engine f64 = Polygrad.engine().withDType(DType.FLOAT64)
     * f64 ==> Engine[backend=scratch, device=cpu, dtype=float64, seed=42]
     * jshell> new Linear(f64, 2, 1).weight().dtype()
     * $2 ==> float64
     * }</pre>
     *
     * @see Polygrad#engine(DType)
     */
    public Engine withDType(DType dtype) {
        notNull(dtype, "Engine.withDType", "dtype");
        return dtype == config.dtype() ? this : new Engine(this, dtype);
    }

    /** Returns the backend that runs this engine's kernels. */
    public Backend backend() {
        StepRecorder recorder = StepRecorder.active;
        return recorder == null ? backend : recorder.backendFor(backend);
    }

    /** Returns the backend itself, never a {@link StepRecorder}'s recording view of it. */
    Backend realBackend() {
        return backend;
    }

    /** Returns the configuration the engine was made with. */
    public PolygradConfig config() {
        return config;
    }

    /** Returns the dtype of tensors created without an explicit one. */
    public DType dtype() {
        return config.dtype();
    }

    /** Returns the device of the backend. */
    public Device device() {
        return backend.device();
    }

    /** Returns the seeded generator behind {@link #rand}, {@link #randn} and parameter initialisation. */
    public Generator generator() {
        return generator;
    }

    /**
     * Resets the generator to {@code seed}, like {@code torch.manual_seed}; {@link #toString()} shows it.
     *
     * <pre>{@code
     * jshell> engine.manualSeed(7); engine
     * $2 ==> Engine[backend=scratch, device=cpu, dtype=float32, seed=7]
     * }</pre>
     */
    public void manualSeed(long seed) {
        generator.reseed(seed);
    }

    // ---------------------------------------------------------------- creation from Java arrays

    /** Creates a float32 tensor from {@code data} with {@code shape} (a 1-d tensor when no shape is given). */
    public Tensor tensor(float[] data, int... shape) {
        notNull(data, "Engine.tensor", "data");
        int[] s = shapeFor(data.length, shape);
        return wrap(backend().fromFloats(data.clone(), s));
    }

    /** Creates a tensor of the default dtype from {@code data} with {@code shape} (1-d when no shape is given). */
    public Tensor tensor(double[] data, int... shape) {
        return tensor(data, config.dtype(), shape);
    }

    /** Creates a tensor of {@code dtype} from {@code data} with {@code shape} (1-d when no shape is given). */
    public Tensor tensor(double[] data, DType dtype, int... shape) {
        notNull(data, "Engine.tensor", "data");
        notNull(dtype, "Engine.tensor", "dtype");
        int[] s = shapeFor(data.length, shape);
        return wrap(fromDoubles(data, s, dtype));
    }

    // ---------------------------------------------------------------- int64 tensors

    /**
     * Creates an int64 tensor from {@code data} with {@code shape} (1-d when no shape is given): class
     * labels and indices, PyTorch's {@code torch.tensor([...])} of integers.
     *
     * <pre>{@code
     * jshell> Tensor labels = engine.tensor(new long[] {3, 0, 7});
     * labels ==> tensor([3, 0, 7])
     * jshell> labels.dtype()
     * $2 ==> int64
     * }</pre>
     */
    public Tensor tensor(long[] data, int... shape) {
        notNull(data, "Engine.tensor", "data");
        int[] s = shapeFor(data.length, shape);
        return wrap(backend().fromLongs(data.clone(), s));
    }

    /** Creates an int64 tensor from {@code data} (widened) with {@code shape} (1-d when no shape is given). */
    public Tensor tensor(int[] data, int... shape) {
        notNull(data, "Engine.tensor", "data");
        long[] longs = new long[data.length];
        for (int i = 0; i < longs.length; i++) {
            longs[i] = data[i];
        }
        int[] s = shapeFor(data.length, shape);
        return wrap(backend().fromLongs(longs, s));
    }

    /** Creates a 2-d tensor of the default dtype from rows of equal length. */
    public Tensor tensor(double[][] rows) {
        Checks.noNulls(rows, "Engine.tensor", "rows");
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("tensor: row " + i + " has length " + rows[i].length
                        + " but row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return tensor(flat, rows.length, cols);
    }

    /** Creates a 0-d tensor of the default dtype. */
    public Tensor scalar(double value) {
        return scalar(value, config.dtype());
    }

    /** Creates a 0-d tensor of {@code dtype}. */
    public Tensor scalar(double value, DType dtype) {
        notNull(dtype, "Engine.scalar", "dtype");
        return wrap(backend().full(Shapes.scalar(), value, dtype));
    }

    // ---------------------------------------------------------------- constant fills

    /** Creates a tensor of zeros of the default dtype. */
    public Tensor zeros(int... shape) {
        return fill("Engine.zeros", 0.0, config.dtype(), shape);
    }

    /** Creates a tensor of zeros of {@code dtype}. */
    public Tensor zeros(DType dtype, int... shape) {
        return fill("Engine.zeros", 0.0, dtype, shape);
    }

    /** Creates a tensor of ones of the default dtype. */
    public Tensor ones(int... shape) {
        return fill("Engine.ones", 1.0, config.dtype(), shape);
    }

    /** Creates a tensor of ones of {@code dtype}. */
    public Tensor ones(DType dtype, int... shape) {
        return fill("Engine.ones", 1.0, dtype, shape);
    }

    /** Creates a tensor of the default dtype filled with {@code value}. */
    public Tensor full(double value, int... shape) {
        return fill("Engine.full", value, config.dtype(), shape);
    }

    /** Creates a tensor of {@code dtype} filled with {@code value}. */
    public Tensor full(double value, DType dtype, int... shape) {
        return fill("Engine.full", value, dtype, shape);
    }

    private Tensor fill(String method, double value, DType dtype, int[] shape) {
        notNull(dtype, method, "dtype");
        checkShape(shape, method);
        return wrap(backend().full(shape.clone(), value, dtype));
    }

    // ---------------------------------------------------------------- ranges

    /**
     * Creates {@code [start, start+step, …]} up to but excluding {@code end}, like {@code torch.arange}.
     *
     * @throws IllegalArgumentException if a bound or the step is NaN or infinite, the step is zero or
     *     points away from {@code end}, or the range has more than {@link Integer#MAX_VALUE} - 8 elements
     */
    public Tensor arange(double start, double end, double step) {
        if (!Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
            throw new IllegalArgumentException("Engine.arange: start, end and step must be finite, got start=" + start
                    + ", end=" + end + ", step=" + step);
        }
        if (step == 0) {
            throw new IllegalArgumentException("Engine.arange: step must be non-zero, got " + step);
        }
        if (end != start && (end > start) != (step > 0)) {
            throw new IllegalArgumentException("Engine.arange: step " + step + " has the wrong sign to go from start="
                    + start + " to end=" + end);
        }
        double count = Math.ceil((end - start) / step);
        if (!(count <= MAX_ELEMENTS)) {
            throw new IllegalArgumentException("Engine.arange: start=" + start + ", end=" + end + ", step=" + step
                    + " gives " + count + " elements, more than the " + MAX_ELEMENTS + " a tensor can hold");
        }
        int n = (int) Math.max(0, count);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return tensor(v);
    }

    /** Creates {@code [0, 1, …, end-1]}. */
    public Tensor arange(int end) {
        return arange(0, end, 1);
    }

    /**
     * Creates {@code steps} evenly spaced values from {@code start} to {@code end} inclusive, computed
     * as PyTorch does (the second half counted back from {@code end}) so the grid matches
     * {@code torch.linspace} value for value.
     */
    public Tensor linspace(double start, double end, int steps) {
        return linspace(start, end, steps, config.dtype());
    }

    /** Creates {@code steps} evenly spaced values of {@code dtype}; see {@link #linspace(double, double, int)}. */
    public Tensor linspace(double start, double end, int steps, DType dtype) {
        notNull(dtype, "Engine.linspace", "dtype");
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        }
        double[] v = new double[steps];
        if (steps == 1) {
            v[0] = start;
        } else if (steps > 1) {
            double step = (end - start) / (steps - 1);
            int half = steps / 2;
            for (int i = 0; i < steps; i++) {
                v[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
            }
        }
        return tensor(v, dtype);
    }

    // ---------------------------------------------------------------- random, from the api generator

    /** Creates uniform values in {@code [0, 1)} of the default dtype. */
    public Tensor rand(int... shape) {
        return random("Engine.rand", false, 0, 1, config.dtype(), shape);
    }

    /** Creates uniform values in {@code [low, high)} of the default dtype. */
    public Tensor uniform(double low, double high, int... shape) {
        return random("Engine.uniform", false, low, high, config.dtype(), shape);
    }

    /** Creates uniform values in {@code [low, high)} of {@code dtype}. */
    public Tensor uniform(double low, double high, DType dtype, int... shape) {
        return random("Engine.uniform", false, low, high, dtype, shape);
    }

    /** Creates standard-normal values of the default dtype. */
    public Tensor randn(int... shape) {
        return random("Engine.randn", true, 0, 1, config.dtype(), shape);
    }

    /** Creates normal values with the given mean and standard deviation. */
    public Tensor normal(double mean, double std, DType dtype, int... shape) {
        return random("Engine.normal", true, mean, std, dtype, shape);
    }

    /** Draws {@code U(a, b)} or, when {@code gaussian}, {@code N(a, b²)} values after checking the arguments. */
    private Tensor random(String method, boolean gaussian, double a, double b, DType dtype, int[] shape) {
        notNull(dtype, method, "dtype");
        checkShape(shape, method);
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(method + ": random values need a floating-point dtype, got " + dtype);
        }
        if (gaussian && (!Double.isFinite(a) || !(b >= 0) || b == Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(method + ": expects a finite mean and a finite std >= 0, got mean="
                    + a + ", std=" + b);
        }
        if (!gaussian && (!(a <= b) || !Double.isFinite(b - a))) {
            throw new IllegalArgumentException(method + ": expects a finite range [low, high) with low <= high, got"
                    + " low=" + a + ", high=" + b);
        }
        double[] v = new double[Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = gaussian ? a + b * generator.nextGaussian() : generator.nextUniform(a, b);
        }
        return wrap(fromDoubles(v, shape.clone(), dtype));
    }

    // ---------------------------------------------------------------- internals

    /** Wraps a backend array created by this engine's backend as a new leaf tensor. */
    Tensor wrap(BackendArray array) {
        return new Tensor(array, this);
    }

    /**
     * Converts in Java, so float32 values are rounded identically whatever the backend, then copies
     * the values into the backend.
     */
    BackendArray fromDoubles(double[] data, int[] shape, DType dtype) {
        if (dtype == DType.FLOAT32) {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            return backend().fromFloats(f, shape);
        }
        return backend().fromDoubles(data.clone(), shape, dtype);
    }

    private static int[] shapeFor(int length, int[] shape) {
        notNull(shape, "Engine.tensor", "shape");
        if (shape.length == 0) {
            return new int[] {length};
        }
        checkShape(shape, "Engine.tensor");
        if (Shapes.size(shape) != length) {
            throw new IllegalArgumentException("tensor: " + length + " values do not fill shape "
                    + Shapes.toString(shape) + " (" + Shapes.size(shape) + " elements)");
        }
        return shape.clone();
    }

    static void checkShape(int[] shape, String method) {
        notNull(shape, method, "shape");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("Shape " + Shapes.toString(shape) + " has a negative dimension");
            }
        }
    }

    /**
     * Returns e.g. {@code Engine[backend=scratch, device=cpu, dtype=float32, seed=42]}, where the seed is the
     * generator's current one: the configured seed, or the last {@link #manualSeed}.
     *
     * <pre>{@code
     * jshell> Polygrad.engine()
     * $1 ==> Engine[backend=scratch, device=cpu, dtype=float32, seed=42]
     * }</pre>
     */
    @Override
    public String toString() {
        return "Engine[backend=" + backend.name() + ", device=" + backend.device() + ", dtype=" + config.dtype()
                + ", seed=" + generator.initialSeed() + "]";
    }
}
