/**
 * Training utilities of PyTorch's {@code torch.nn.utils}: gradient clipping ({@link io.polygrad.nn.utils.ClipGrad},
 * {@code clip_grad_norm_} and {@code clip_grad_value_}).
 */
package io.polygrad.nn.utils;
