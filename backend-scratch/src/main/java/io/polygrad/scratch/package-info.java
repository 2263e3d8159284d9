/**
 * The {@code scratch} backend: pure-Java kernels on {@code float[]}/{@code double[]}, the default
 * backend and the float64 reference of the conformance suite.
 *
 * <p>The same files as every polygrad backend: {@link io.polygrad.scratch.ScratchBackend} (the SPI,
 * a thin dispatcher over the kernel families {@code ScratchCreation}, {@code ScratchElementwise},
 * {@code ScratchReductions}, {@code ScratchMatmul}, {@code ScratchMovement}),
 * {@link io.polygrad.scratch.ScratchArray}, {@link io.polygrad.scratch.ScratchBackendProvider} and
 * {@link io.polygrad.scratch.ScratchModule}. {@code ScratchVectorMatmul} is scratch's SIMD matmul
 * detail, {@code ScratchActivation} its relu kernels and {@code ScratchIndex} its offset arithmetic.
 */
package io.polygrad.scratch;
