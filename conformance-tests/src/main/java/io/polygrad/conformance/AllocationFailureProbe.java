package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;

/**
 * An allocation that cannot succeed, as a main class for a {@link ChildJvm} whose address space the
 * test limits ({@code ulimit -v}) so that it fails at once: asks the backend the {@code backend}
 * property names for 2^31-1 float64 elements (16 GiB) and prints {@code CAUGHT <class>: <message>},
 * then {@code AFTER <value>} from a small op, to show the backend is still usable.
 */
public final class AllocationFailureProbe {

    private AllocationFailureProbe() {
    }

    /**
     * Runs this probe for {@code backend} in a {@link ChildJvm} under {@code ulimit -v} 8 GiB with a small
     * heap and metaspace, so the 16 GiB request fails at once; returns what the child printed.
     */
    public static ChildJvm.Result runInChildJvm(String backend) throws Exception {
        return ChildJvm.exec(AllocationFailureProbe.class, entry -> false, 8L << 20, "-Xmx256m", "-Dbackend=" + backend,
                "-XX:MaxMetaspaceSize=128m", "-XX:CompressedClassSpaceSize=64m", "-XX:ReservedCodeCacheSize=64m");
    }

    /** Runs the allocation. */
    public static void main(String[] args) {
        Backend backend = ConcurrentCloseProbe.engine(System.getProperty("backend"), DType.FLOAT64).backend();
        try (BackendArray huge = backend.full(new int[] {Integer.MAX_VALUE}, 1, DType.FLOAT64)) {
            System.out.println("NO ERROR " + huge);
        } catch (Throwable e) {
            System.out.println("CAUGHT " + e.getClass().getName() + ": " + e.getMessage());
        }
        try (BackendArray small = backend.full(new int[] {2}, 3, DType.FLOAT64)) {
            System.out.println("AFTER " + backend.toDoubleArray(small)[1]);
        }
    }
}
