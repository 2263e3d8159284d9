/**
 * A small fit loop: {@link io.polygrad.train.Trainer} runs zero-grad, forward, loss, backward and
 * optimizer step over {@link io.polygrad.train.Batch}es, one {@link io.polygrad.TensorScope} per step,
 * with per-step callbacks ({@link io.polygrad.train.StepEvent}), schedules and early stopping, and
 * returns a {@link io.polygrad.train.FitResult}.
 */
package io.polygrad.train;
