package io.polygrad.spark;

import java.io.Serializable;

/**
 * What a barrier task hands back to the driver: its rank and final parameter checksum, and from rank 0
 * the final parameters, the per-step losses and the timing.
 */
record TaskResult(
        int rank,
        String checksum,
        String[] names,
        int[][] shapes,
        double[][] values,
        double[] losses,
        int[] epochs,
        double[] lrs,
        long samples,
        long trainingNanos,
        long bytesSentPerExchange,
        int exchanges) implements Serializable {
}
