/**
 * The djl backend: polygrad's primitive kernels on DJL {@code NDArray}s with the PyTorch engine.
 * libtorch comes from pinned Maven jars; DJL runs offline.
 *
 * <p>The same files as every polygrad backend: {@link io.polygrad.djl.DjlBackend} (the SPI, a thin
 * dispatcher over the kernel families {@code DjlCreation}, {@code DjlElementwise},
 * {@code DjlReductions}, {@code DjlMatmul}, {@code DjlMovement}), {@link io.polygrad.djl.DjlArray},
 * {@link io.polygrad.djl.DjlBackendProvider} (found by {@code ServiceLoader}),
 * {@link io.polygrad.djl.DjlModule} (for Guice users) and {@code DjlRuntime} (loading libtorch once).
 * DJL-only helpers: {@code DjlShapes}, {@code DjlQuietStartup}. The native fast paths are
 * {@code DjlConvolution} (convolution and pooling, {@code Backend.convolutionKernels()}) and
 * {@code DjlActivation} (relu, {@code Backend.activationKernels()}); {@code DjlGraph} runs their
 * gradients through libtorch's autograd on one-op graphs kept with the forward's result.
 */
package io.polygrad.djl;
