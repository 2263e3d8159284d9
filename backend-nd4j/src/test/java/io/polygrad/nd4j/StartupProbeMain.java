package io.polygrad.nd4j;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.spi.Availability;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;

/**
 * Creates the backend the way a user's first call does and runs one op, printing nothing itself
 * unless ND4J is unavailable; the child-JVM tests read what the whole start-up printed.
 */
public final class StartupProbeMain {

    private StartupProbeMain() {
    }

    /** Runs the probe. */
    public static void main(String[] args) {
        Availability a = new Nd4jBackendProvider().availability(Device.CPU);
        if (!a.available()) {
            System.out.println("UNAVAILABLE: " + a.reason());
            return;
        }
        Nd4jBackend backend = new Nd4jBackend(Device.CPU);
        try (BackendArray x = backend.fromDoubles(new double[] {1, 2}, new int[] {2}, DType.FLOAT32);
             BackendArray y = backend.binary(BinaryOp.MUL, x, x)) {
            if (backend.toDoubleArray(y)[1] != 4.0) {
                System.out.println("WRONG RESULT");
            }
        }
    }
}
