/**
 * Neural-network building blocks: {@link io.polygrad.nn.Module} (parameters with hierarchical names,
 * train/eval mode, a PyTorch-style printout), the layers {@link io.polygrad.nn.Linear},
 * {@link io.polygrad.nn.ReLU}, {@link io.polygrad.nn.Sigmoid}, {@link io.polygrad.nn.Tanh},
 * {@link io.polygrad.nn.Sequential} and {@link io.polygrad.nn.Lambda}, initialisers in
 * {@link io.polygrad.nn.Init} and composite functions in {@link io.polygrad.nn.Functional}.
 */
package io.polygrad.nn;
