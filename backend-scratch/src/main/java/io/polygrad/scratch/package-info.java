/**
 * The {@code scratch} backend: pure-Java kernels on {@code float[]}/{@code double[]}, the default
 * backend and the float64 reference of the conformance suite. Main types: {@link
 * io.polygrad.scratch.ScratchBackend}, {@link io.polygrad.scratch.ScratchModule}.
 */
package io.polygrad.scratch;
