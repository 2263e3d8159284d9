package io.polygrad.problems;

import io.polygrad.Tensor;
import io.polygrad.loss.Loss;
import io.polygrad.nn.Module;
import io.polygrad.optim.Optimizer;
import io.polygrad.train.Batch;
import io.polygrad.train.Trainer;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Returns one classic way of training a {@link Problem}: the optimizer, the number of full-batch steps
 * and whether gradients are zeroed before each step.
 *
 * @param name             the name a CLI picks it by, e.g. {@code adam}
 * @param description      one line for people
 * @param optimizerFactory creates the optimizer for a model's parameters
 * @param steps            the number of full-batch steps
 * @param zeroGrad         whether gradients are cleared before each step ({@code false} reproduces a loop
 *                         that never calls {@code zero_grad()}, so gradients accumulate)
 */
public record Setting(String name, String description, Function<List<Tensor>, Optimizer> optimizerFactory,
        int steps, boolean zeroGrad) {

    /** Creates a setting, rejecting nulls and negative step counts. */
    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(optimizerFactory, "optimizerFactory");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }

    /** Creates this setting's optimizer for {@code parameters}. */
    public Optimizer optimizer(List<Tensor> parameters) {
        return optimizerFactory.apply(parameters);
    }

    /** Returns a trainer builder for {@code model} on {@code data} with this setting's optimizer, steps and zeroGrad. */
    public Trainer.Builder trainer(Module model, Batch data, Loss loss) {
        return Trainer.builder(model, loss, optimizer(model.parameters())).data(data).steps(steps).zeroGrad(zeroGrad);
    }

    /** Returns a copy running {@code newSteps} steps. */
    public Setting withSteps(int newSteps) {
        return new Setting(name, description, optimizerFactory, newSteps, zeroGrad);
    }
}
