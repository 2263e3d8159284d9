package io.polygrad;

/**
 * A scope in which ops that have a backend fast path (the {@link ConvolutionOps convolution and pooling}
 * ops, through {@link io.polygrad.spi.Backend#convolutionKernels()}, and {@link Tensor#relu()}, through
 * {@link io.polygrad.spi.Backend#activationKernels()}, and {@link Tensor#addi(Tensor, double)}, through
 * {@link io.polygrad.spi.Backend#addScaled}) use their composite of the SPI primitives instead, as on a backend without native kernels. Per thread, nesting, like {@link NoGrad}:
 * what the conformance suite uses to compare each fast path with the composite on the same backend.
 *
 * <pre>{@code
 * Tensor fast = ConvolutionOps.conv2d(x, w, b);
 * try (CompositePath ignored = CompositePath.enter()) {
 *     Tensor composite = ConvolutionOps.conv2d(x, w, b);   // unfold + matmul, same values to rounding
 * }
 * }</pre>
 */
public final class CompositePath implements AutoCloseable {

    private static final ThreadLocal<int[]> DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private final int[] depth;
    private boolean closed;

    private CompositePath() {
        depth = DEPTH.get();
        depth[0]++;
    }

    /** Enters a composite-only scope on this thread; close it to leave. */
    public static CompositePath enter() {
        return new CompositePath();
    }

    /** Returns whether a composite-only scope is open on this thread. */
    public static boolean isActive() {
        return DEPTH.get()[0] > 0;
    }

    /** Leaves the scope; closing twice does nothing. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            depth[0]--;
        }
    }
}
