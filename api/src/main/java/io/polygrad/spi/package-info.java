/**
 * The backend SPI: the small set of primitive kernels ({@link io.polygrad.spi.Backend}) a backend
 * implements on its own array handle ({@link io.polygrad.spi.BackendArray}), and the
 * {@link io.polygrad.spi.BackendProvider} through which {@code ServiceLoader} finds it.
 */
package io.polygrad.spi;
