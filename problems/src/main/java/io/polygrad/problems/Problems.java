package io.polygrad.problems;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Generator;
import io.polygrad.Tensor;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Init;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.train.Batch;
import java.util.ArrayList;
import java.util.List;

/**
 * The project's reference problems, by name: {@code line}, {@code quadratic}, {@code relu} and
 * {@code double-relu} (DESIGN.md, "The three problems").
 *
 * <ul>
 *   <li>{@link #LINE}: {@code y = w·x + b} with MSE on 100 points, x uniform in [-1, 1) and
 *       {@code y = 2x - 3 + N(0, 0.1²)}; settings {@code adam} (lr 0.001, the classic autograd-tutorial
 *       setting) and {@code sgd} (lr 0.1).</li>
 *   <li>{@link #QUADRATIC}: {@code a·x² + b·x + c} from a = b = c = 1.1 with MAE on the twenty points of
 *       {@code noisy-quadratic.csv}, SGD lr 0.01; settings {@code zero-grad} (the correct loop) and
 *       {@code literal} (the tutorial's loop that never zeroes gradients, whose steps grow).</li>
 *   <li>{@link #RELU}: {@code ŷ = W₂·relu(W₁·x + b₁) + b₂} ({@code Linear(1, 16)}, ReLU,
 *       {@code Linear(16, 1)} with PyTorch's initialisation from the seeded generator) with MSE on the
 *       quadratic data.</li>
 *   <li>{@link #DOUBLE_RELU}: {@code relu(m₁x + b₁) + relu(m₂x + b₂)} with MSE on the quadratic data.</li>
 * </ul>
 *
 * <pre>{@code
 * Problem p = Problems.byName("relu");
 * Module model = p.model(engine);
 * FitResult r = p.fit(model, p.data(engine), p.defaultSetting(), e -> { });
 * }</pre>
 */
public final class Problems {

    /** The number of points of the line problem. */
    public static final int LINE_POINTS = 100;

    /** The standard deviation of the line problem's noise. */
    public static final double LINE_NOISE = 0.1;

    /** The hidden width of the ReLU network. */
    public static final int RELU_HIDDEN = 16;

    /** The line {@code w·x + b} fitted to {@code 2x - 3} plus noise. */
    public static final Problem LINE = new Problem("line",
            "y = w*x + b fitted by MSE to 100 points of 2x - 3 + N(0, 0.1^2), x uniform in [-1, 1)",
            Problems::lineData, Problems::lineModel, "mse", Losses::mse, List.of(
                new Setting("adam", "Adam lr 0.001, 8000 steps",
                    OptimizerSpec.of("adam").with("lr", 0.001), 8000, true),
                new Setting("sgd", "SGD lr 0.1, 500 steps",
                    OptimizerSpec.of("sgd").with("lr", 0.1), 500, true)));

    /** The quadratic {@code a·x² + b·x + c} fitted by MAE to the noisy quadratic data. */
    public static final Problem QUADRATIC = new Problem("quadratic",
            "a*x^2 + b*x + c from a = b = c = 1.1 fitted by MAE to noisy-quadratic.csv (3x^2 + 2x + 1 + noise)",
            Problems::quadraticData, Problems::quadraticModel, "mae", Losses::mae, List.of(
                new Setting("zero-grad", "SGD lr 0.01, gradients zeroed every step, 1500 steps",
                    OptimizerSpec.of("sgd").with("lr", 0.01), 1500, true),
                new Setting("literal", "SGD lr 0.01, the tutorial's loop that never zeroes gradients, 10 steps",
                    OptimizerSpec.of("sgd").with("lr", 0.01), 10, false)));

    /** The one-hidden-layer ReLU network fitted by MSE to the noisy quadratic data. */
    public static final Problem RELU = new Problem("relu",
            "W2*relu(W1*x + b1) + b2 (16 hidden units, seeded PyTorch init) fitted by MSE to noisy-quadratic.csv",
            Problems::quadraticData, Problems::reluModel, "mse", Losses::mse, List.of(
                new Setting("adam", "Adam lr 0.01, 2000 steps",
                    OptimizerSpec.of("adam").with("lr", 0.01), 2000, true),
                new Setting("sgd", "SGD lr 0.01, 2000 steps",
                    OptimizerSpec.of("sgd").with("lr", 0.01), 2000, true)));

    /** The "double ReLU" {@code relu(m₁x + b₁) + relu(m₂x + b₂)} fitted by MSE to the noisy quadratic data. */
    public static final Problem DOUBLE_RELU = new Problem("double-relu",
            "relu(m1*x + b1) + relu(m2*x + b2) fitted by MSE to noisy-quadratic.csv",
            Problems::quadraticData, Problems::doubleReluModel, "mse", Losses::mse, List.of(
                new Setting("sgd", "SGD lr 0.01, 4000 steps",
                    OptimizerSpec.of("sgd").with("lr", 0.01), 4000, true)));

    private static final List<Problem> ALL = List.of(LINE, QUADRATIC, RELU, DOUBLE_RELU);

    private Problems() {
    }

    /** Returns every problem, in the order line, quadratic, relu, double-relu. */
    public static List<Problem> all() {
        return ALL;
    }

    /** Returns the problems' names. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        for (Problem p : ALL) {
            names.add(p.name());
        }
        return names;
    }

    /**
     * Returns the problem called {@code name}.
     *
     * @throws IllegalArgumentException naming the known problems
     */
    public static Problem byName(String name) {
        for (Problem p : ALL) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("Unknown problem '" + name + "'; known problems: "
                + String.join(", ", names()));
    }

    /**
     * Returns the twenty points of {@code noisy-quadratic.csv} as {@code {x, y}}: x are float32 values
     * written exactly, y float64.
     */
    public static double[][] noisyQuadraticPoints() {
        return NoisyQuadratic.points();
    }

    // ---------------------------------------------------------------- data

    private static Batch lineData(Engine engine) {
        Generator g = engine.generator();
        DType dtype = engine.dtype();
        double[] x = new double[LINE_POINTS];
        double[] y = new double[LINE_POINTS];
        for (int i = 0; i < LINE_POINTS; i++) {
            x[i] = round(g.nextUniform(-1, 1), dtype);
        }
        for (int i = 0; i < LINE_POINTS; i++) {
            y[i] = 2 * x[i] - 3 + LINE_NOISE * g.nextGaussian();
        }
        return new Batch(engine.tensor(x, LINE_POINTS, 1), engine.tensor(y, LINE_POINTS, 1));
    }

    private static Batch quadraticData(Engine engine) {
        double[][] p = NoisyQuadratic.points();
        int n = p[0].length;
        return new Batch(engine.tensor(p[0], n, 1), engine.tensor(p[1], n, 1));
    }

    private static double round(double v, DType dtype) {
        return dtype == DType.FLOAT32 ? (float) v : v;
    }

    // ---------------------------------------------------------------- models

    private static Module lineModel(Engine engine) {
        return new Module("Line") {
            final Tensor w = registerParameter("w", Init.uniform(engine.scalar(0.0), -1, 1));
            final Tensor b = registerParameter("b", Init.uniform(engine.scalar(0.0), -1, 1));

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(w).add(b);
            }
        };
    }

    private static Module quadraticModel(Engine engine) {
        return new Module("Quadratic") {
            final Tensor a = registerParameter("a", engine.scalar(1.1));
            final Tensor b = registerParameter("b", engine.scalar(1.1));
            final Tensor c = registerParameter("c", engine.scalar(1.1));

            @Override
            public Tensor forward(Tensor x) {
                return a.mul(x.square()).add(b.mul(x)).add(c);
            }
        };
    }

    private static Module reluModel(Engine engine) {
        return new Sequential(new Linear(engine, 1, RELU_HIDDEN), new ReLU(), new Linear(engine, RELU_HIDDEN, 1));
    }

    private static Module doubleReluModel(Engine engine) {
        return new Module("DoubleReLU") {
            final Tensor m1 = registerParameter("m1", Init.uniform(engine.scalar(0.0), -1, 1));
            final Tensor b1 = registerParameter("b1", Init.uniform(engine.scalar(0.0), -1, 1));
            final Tensor m2 = registerParameter("m2", Init.uniform(engine.scalar(0.0), -1, 1));
            final Tensor b2 = registerParameter("b2", Init.uniform(engine.scalar(0.0), -1, 1));

            @Override
            public Tensor forward(Tensor x) {
                return x.mul(m1).add(b1).relu().add(x.mul(m2).add(b2).relu());
            }
        };
    }
}
