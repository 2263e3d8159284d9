/**
 * Learning-rate schedules with PyTorch 1.13's formulas, acting on every parameter group from each group's
 * initial rate: {@link io.polygrad.optim.lr.StepLR}, {@link io.polygrad.optim.lr.MultiStepLR},
 * {@link io.polygrad.optim.lr.ExponentialLR}, {@link io.polygrad.optim.lr.CosineAnnealingLR},
 * {@link io.polygrad.optim.lr.LinearLR} (warm-up), {@link io.polygrad.optim.lr.LambdaLR},
 * {@link io.polygrad.optim.lr.MultiplicativeLR}, {@link io.polygrad.optim.lr.ConstantLR},
 * {@link io.polygrad.optim.lr.PolynomialLR}, {@link io.polygrad.optim.lr.CosineAnnealingWarmRestarts},
 * {@link io.polygrad.optim.lr.CyclicLR} and {@link io.polygrad.optim.lr.OneCycleLR} (per batch, with momentum
 * cycling), their combinations {@link io.polygrad.optim.lr.SequentialLR} and
 * {@link io.polygrad.optim.lr.ChainedScheduler}, and the metric-driven
 * {@link io.polygrad.optim.lr.ReduceLROnPlateau}. Every schedule has a state
 * ({@link io.polygrad.optim.lr.StatefulScheduler}) and can resume at an epoch (PyTorch's {@code last_epoch}).
 *
 * <pre>{@code
 * jshell> OneCycleLR s = OneCycleLR.builder(sgd, 0.1).totalSteps(1000).build();
 * jshell> s.step();   // after each optimizer step
 * }</pre>
 */
package io.polygrad.optim.lr;
