package io.polygrad;

/**
 * The generator of reproducible pseudo-random numbers for initial weights and synthetic data.
 *
 * <p>The algorithm (xoshiro256** seeded through SplitMix64, Box–Muller for normals) is fixed and
 * written out here, so the same seed gives bit-identical values on every JVM and every backend:
 * values are drawn in double precision in Java and only then copied into a backend. No backend RNG
 * is ever used for values that tests compare.
 *
 * <pre>{@code
 * Generator g = new Generator(42);
 * double u = g.nextDouble();          // uniform in [0, 1)
 * double n = g.nextGaussian();        // standard normal
 * }</pre>
 *
 * <p>Not thread-safe: share one per thread or synchronise.
 */
public final class Generator {

    private long s0;
    private long s1;
    private long s2;
    private long s3;
    private double spareGaussian;
    private boolean hasSpare;
    private long initialSeed;

    /** Creates a generator from a seed. */
    public Generator(long seed) {
        reseed(seed);
    }

    /** Resets the state as if newly created with {@code seed}. */
    public void reseed(long seed) {
        initialSeed = seed;
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
        hasSpare = false;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Returns the seed this generator was created or last {@linkplain #reseed reseeded} with, PyTorch's
     * {@code Generator.initial_seed()}.
     *
     * <pre>{@code
     * jshell> var g = new Generator(42); g.reseed(7); g.initialSeed()
     * $3 ==> 7
     * }</pre>
     */
    public long initialSeed() {
        return initialSeed;
    }

    /** Returns the next 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Returns a uniform double in {@code [0, 1)} with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Returns a uniform double in {@code [low, high)}. */
    public double nextUniform(double low, double high) {
        return low + (high - low) * nextDouble();
    }

    /** Returns a standard normal double (Box–Muller, pairs cached). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1;
        do {
            u1 = nextDouble();
        } while (u1 == 0.0);
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(u1));
        double theta = 2.0 * Math.PI * u2;
        spareGaussian = r * Math.sin(theta);
        hasSpare = true;
        return r * Math.cos(theta);
    }

    /** Returns a uniform int in {@code [0, bound)}. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) ((nextLong() >>> 33) % bound);
    }
}
