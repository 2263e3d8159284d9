/**
 * Losses with PyTorch's definitions: {@link io.polygrad.loss.Losses} (mse, mae, huber, smooth L1,
 * binary cross-entropy with logits, cross-entropy), the {@link io.polygrad.loss.Reduction} they
 * apply, and the {@link io.polygrad.loss.Loss} interface a training loop takes.
 */
package io.polygrad.loss;
