/**
 * The ND4J backend of polygrad ({@code polygrad.backend=nd4j}): the SPI's primitive kernels on
 * ND4J {@code INDArray}s, with {@code nd4j-native} (OpenBLAS) on the CPU, or {@code nd4j-cuda-11.6}
 * when built with the {@code cuda} Maven profile.
 *
 * <p>{@link io.polygrad.nd4j.Nd4jBackendProvider} is found through {@code ServiceLoader};
 * {@link io.polygrad.nd4j.Nd4jModule} binds {@link io.polygrad.nd4j.Nd4jBackend} for Guice users;
 * {@link io.polygrad.nd4j.Nd4jArray} is the array handle, which frees its native memory on
 * {@code close()}.
 */
package io.polygrad.nd4j;
