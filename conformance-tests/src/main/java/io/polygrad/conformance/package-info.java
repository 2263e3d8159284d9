/**
 * The reusable polygrad conformance suite: the checks every backend must meet, runnable against any
 * {@link io.polygrad.conformance.BackendUnderTest}. {@link io.polygrad.conformance.ConformanceChecks}
 * holds the one list of {@link io.polygrad.conformance.Check}s (op samples, initial values, float64
 * precision, autograd semantics, random programs, the three problems); its core is plain Java and needs
 * no JUnit. Two bindings iterate the list: {@link io.polygrad.conformance.PolygradConformanceSuite} (and
 * its part classes) as JUnit dynamic tests, for backend authors, and
 * {@link io.polygrad.conformance.ConformanceRunner}, which returns a
 * {@link io.polygrad.conformance.ConformanceReport} without JUnit (what {@code polygrad conformance}
 * prints). Tolerances are stated once, in {@link io.polygrad.conformance.Tolerances}.
 */
package io.polygrad.conformance;
