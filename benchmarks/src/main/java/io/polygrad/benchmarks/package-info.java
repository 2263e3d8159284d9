/**
 * JMH benchmarks of polygrad, each backend against the raw library it wraps: {@link
 * io.polygrad.benchmarks.ScratchBenchmarks} (scratch against hand-written Java), {@link
 * io.polygrad.benchmarks.DjlBenchmarks} (djl against raw DJL with {@code GradientCollector}) and {@link
 * io.polygrad.benchmarks.Nd4jBenchmarks} (nd4j against raw ND4J with a hand-derived backward), on the
 * shared workloads {@link io.polygrad.benchmarks.QuadraticStep} and {@link io.polygrad.benchmarks.MlpStep};
 * plus the tools {@link io.polygrad.benchmarks.MemorySoak} (native memory over a million steps),
 * {@link io.polygrad.benchmarks.CrossCheck} (both sides of each pair compute the same losses), {@link
 * io.polygrad.benchmarks.Interleaved} (ratios measured interleaved in one JVM) and {@link
 * io.polygrad.benchmarks.KernelCount} (backend kernels per step). Build with {@code mvn -pl benchmarks
 * -am package -DskipTests}; see {@code benchmarks/README.md} for the commands and the figures.
 */
package io.polygrad.benchmarks;
