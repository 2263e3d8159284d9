/**
 * Optimizers with PyTorch's update equations: the {@link io.polygrad.optim.Optimizer} base,
 * {@link io.polygrad.optim.SGD}, {@link io.polygrad.optim.Adam}, {@link io.polygrad.optim.AdamW} and
 * {@link io.polygrad.optim.RMSprop}, each made by a builder with PyTorch's defaults. Updates run in
 * place inside {@link io.polygrad.NoGrad} and a {@link io.polygrad.TensorScope}; learning-rate
 * schedules are in {@link io.polygrad.optim.lr}.
 */
package io.polygrad.optim;
