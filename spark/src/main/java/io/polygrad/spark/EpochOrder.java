package io.polygrad.spark;

import io.polygrad.Generator;

/**
 * The order in which a shuffling {@link SparkTrainer} visits the samples in each epoch: a permutation
 * of the sample positions drawn afresh for every epoch from the shuffle seed and the epoch number alone,
 * so a job restarted from a checkpoint at epoch {@code e} visits the samples exactly as the uninterrupted
 * job did, and the order does not depend on how many tasks train.
 *
 * <pre>{@code
 * int[] order = EpochOrder.permutation(seed, epoch, n);   // the global batch b is order[b*B .. (b+1)*B)
 * }</pre>
 */
public final class EpochOrder {

    private EpochOrder() {
    }

    /**
     * Returns the sample positions of epoch {@code epoch} (0-based) in visiting order: a Fisher–Yates
     * permutation of {@code 0 … n-1} drawn from a polygrad {@link Generator} seeded with a hash of
     * {@code seed} and {@code epoch}.
     *
     * @throws IllegalArgumentException if {@code epoch} or {@code n} is negative
     */
    public static int[] permutation(long seed, int epoch, int n) {
        if (epoch < 0 || n < 0) {
            throw new IllegalArgumentException("EpochOrder.permutation: epoch and n must be 0 or more, got epoch "
                    + epoch + ", n " + n);
        }
        Generator g = new Generator(epochSeed(seed, epoch));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Returns the generator seed of {@code epoch}: SplitMix64's finaliser of the seed and the epoch. */
    static long epochSeed(long seed, int epoch) {
        long z = seed ^ (0xD1B54A32D192ED03L * (epoch + 1L));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
