/**
 * The djl backend: polygrad's primitive kernels on DJL {@code NDArray}s with the PyTorch engine
 * ({@link io.polygrad.djl.DjlBackend}, {@link io.polygrad.djl.DjlArray}), found by
 * {@code ServiceLoader} through {@link io.polygrad.djl.DjlBackendProvider} and wired by
 * {@link io.polygrad.djl.DjlModule}. libtorch comes from pinned Maven jars; DJL runs offline.
 */
package io.polygrad.djl;
