/**
 * The project's reference problems as reusable definitions, chosen by name, in their own artifact
 * {@code polygrad-problems} on top of {@code polygrad-api}: {@link io.polygrad.problems.Problems} holds
 * {@code line}, {@code quadratic}, {@code relu} and {@code double-relu}; each
 * {@link io.polygrad.problems.Problem} gives its data, seeded model, loss and classic
 * {@link io.polygrad.problems.Setting}s, whose optimizers are data ({@link io.polygrad.optim.OptimizerSpec}),
 * so the CLI, the conformance suite and the benchmarks run and report the same thing.
 */
package io.polygrad.problems;
