/**
 * Optimizers with PyTorch 1.13's update equations and defaults: the {@link io.polygrad.optim.Optimizer} base
 * (parameter groups, {@link io.polygrad.optim.ParamGroup}; per-parameter state,
 * {@link io.polygrad.optim.ParamState}; {@link io.polygrad.optim.OptimizerState} for checkpoints),
 * {@link io.polygrad.optim.SGD}, {@link io.polygrad.optim.Adam}, {@link io.polygrad.optim.AdamW},
 * {@link io.polygrad.optim.RMSprop}, {@link io.polygrad.optim.Adagrad}, {@link io.polygrad.optim.Adamax},
 * {@link io.polygrad.optim.NAdam} and {@link io.polygrad.optim.RAdam}, each made by a builder
 * ({@link io.polygrad.optim.OptimizerBuilder}) with PyTorch's defaults, or from data by
 * {@link io.polygrad.optim.OptimizerSpec}. Not offered yet: LBFGS, SparseAdam, ASGD, Rprop, Adadelta.
 * Updates run in place inside {@link io.polygrad.NoGrad} and a {@link io.polygrad.TensorScope};
 * learning-rate schedules are in {@link io.polygrad.optim.lr}, gradient clipping in
 * {@link io.polygrad.nn.utils.ClipGrad}, checkpoints in {@link io.polygrad.io.Checkpoint}.
 *
 * <pre>{@code
 * jshell> Optimizer opt = AdamW.builder().lr(1e-3).group(body.parameters())
 *    ...>     .group(head.parameters(), g -> g.lr(1e-2).weightDecay(0)).build();
 * }</pre>
 */
package io.polygrad.optim;
