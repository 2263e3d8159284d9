/**
 * The project's reference problems as reusable definitions, chosen by name: {@link io.polygrad.problems.Problems}
 * holds {@code line}, {@code quadratic}, {@code relu} and {@code double-relu}; each
 * {@link io.polygrad.problems.Problem} gives its data, seeded model, loss and classic
 * {@link io.polygrad.problems.Setting}s, so the CLI, the conformance suite and the benchmarks run the
 * same thing.
 */
package io.polygrad.problems;
