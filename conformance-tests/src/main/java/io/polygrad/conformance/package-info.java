/**
 * The reusable polygrad conformance suite: specifications every backend must meet, runnable against
 * any {@link io.polygrad.conformance.BackendUnderTest}. A backend author extends
 * {@link io.polygrad.conformance.PolygradConformanceSuite} (ops, autograd, differential programs and
 * the three problems); {@link io.polygrad.conformance.ConformanceRunner} runs the op-level and
 * problem-level checks without JUnit and returns a {@link io.polygrad.conformance.ConformanceReport}.
 * Tolerances are stated once, in {@link io.polygrad.conformance.Tolerances}.
 */
package io.polygrad.conformance;
