/**
 * Learning-rate schedules with PyTorch's formulas: {@link io.polygrad.optim.lr.StepLR},
 * {@link io.polygrad.optim.lr.MultiStepLR}, {@link io.polygrad.optim.lr.ExponentialLR},
 * {@link io.polygrad.optim.lr.CosineAnnealingLR}, {@link io.polygrad.optim.lr.LinearLR} (warm-up),
 * their combinations {@link io.polygrad.optim.lr.SequentialLR} and
 * {@link io.polygrad.optim.lr.ChainedScheduler}, and the metric-driven
 * {@link io.polygrad.optim.lr.ReduceLROnPlateau}.
 */
package io.polygrad.optim.lr;
