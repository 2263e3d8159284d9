/**
 * The ND4J backend of polygrad ({@code polygrad.backend=nd4j}): the SPI's primitive kernels on
 * ND4J {@code INDArray}s, with {@code nd4j-native} (OpenBLAS) on the CPU, or {@code nd4j-cuda-11.6}
 * when built with the {@code cuda} Maven profile.
 *
 * <p>The same files as every polygrad backend: {@link io.polygrad.nd4j.Nd4jBackend} (the SPI, a thin
 * dispatcher over the kernel families {@code Nd4jCreation}, {@code Nd4jElementwise},
 * {@code Nd4jReductions}, {@code Nd4jMatmul}, {@code Nd4jMovement}), {@link io.polygrad.nd4j.Nd4jArray}
 * (the array handle, which frees its native memory on {@code close()}),
 * {@link io.polygrad.nd4j.Nd4jBackendProvider} (found through {@code ServiceLoader}),
 * {@link io.polygrad.nd4j.Nd4jModule} (for Guice users) and {@code Nd4jRuntime} (loading ND4J once).
 * ND4J-only helpers: {@code Nd4jOpRunner}, {@code Nd4jNaN}, {@code Nd4jQuietStartup}. The native
 * convolution and pooling fast path ({@code Backend.convolutionKernels()}) is {@code Nd4jConvolution}.
 */
package io.polygrad.nd4j;
