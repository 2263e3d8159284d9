/**
 * polygrad's user API: {@link io.polygrad.Tensor} with autograd, {@link io.polygrad.Engine} to create
 * tensors, {@link io.polygrad.Polygrad} to get an engine from configuration, {@link io.polygrad.NoGrad}
 * and {@link io.polygrad.TensorScope} scopes, and the seeded {@link io.polygrad.Generator}.
 */
package io.polygrad;
