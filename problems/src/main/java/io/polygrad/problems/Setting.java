package io.polygrad.problems;

import io.polygrad.Tensor;
import io.polygrad.loss.Loss;
import io.polygrad.nn.Module;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.train.Batch;
import io.polygrad.train.Trainer;
import java.util.List;
import java.util.Objects;

/**
 * A classic way of training a {@link Problem}, as data: the optimizer's name and hyper-parameters, the
 * number of full-batch steps and whether gradients are zeroed before each step. A command line or a
 * report reads {@link #optimizer()} instead of probing an optimizer object.
 *
 * @param name        the name a CLI picks it by, e.g. {@code adam}
 * @param description one line for people
 * @param optimizer   the optimizer to create for a model's parameters, e.g. {@code sgd} with {@code lr} 0.01
 * @param steps       the number of full-batch steps
 * @param zeroGrad    whether gradients are cleared before each step ({@code false} reproduces a loop that
 *                    never calls {@code zero_grad()}, so gradients accumulate)
 */
public record Setting(String name, String description, OptimizerSpec optimizer, int steps, boolean zeroGrad) {

    /** Creates a setting, rejecting nulls and negative step counts. */
    public Setting {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(optimizer, "optimizer");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }

    /** Creates this setting's optimizer for {@code parameters}. */
    public Optimizer optimizer(List<Tensor> parameters) {
        return optimizer.create(parameters);
    }

    /** Returns a trainer builder for {@code model} on {@code data} with this setting's optimizer, steps and zeroGrad. */
    public Trainer.Builder trainer(Module model, Batch data, Loss loss) {
        return Trainer.builder(model, loss, optimizer(model.parameters())).data(data).steps(steps).zeroGrad(zeroGrad);
    }

    /** Returns a copy running {@code newSteps} steps. */
    public Setting withSteps(int newSteps) {
        return new Setting(name, description, optimizer, newSteps, zeroGrad);
    }
}
