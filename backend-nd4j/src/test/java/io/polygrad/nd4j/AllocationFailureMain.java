package io.polygrad.nd4j;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.BackendArray;

/**
 * Asks the nd4j backend for 2^31-1 float64 elements (16 GiB), for a child JVM whose address space
 * the test limits so that the allocation fails at once; prints {@code CAUGHT <class>: <message>},
 * then {@code AFTER <value>} from a small op, to show the backend is still usable.
 */
public final class AllocationFailureMain {

    private AllocationFailureMain() {
    }

    /** Runs the allocation. */
    public static void main(String[] args) {
        Nd4jBackend backend = new Nd4jBackend(Device.CPU);
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
