package io.polygrad.conformance;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.config.BackendRegistry;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.AbstractBackendArray;
import io.polygrad.spi.BackendArray;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The release-while-computing race, as a main class for a {@link ChildJvm}: thread B multiplies a
 * 1024×1024 tensor by itself in a loop while thread A's scope, which created the tensor, closes after
 * a random delay. Prints one line per try: {@code RELEASED <n> <message>} when B got the "released"
 * error after {@code n} products, {@code FAILED <error>} for any other error; a native crash kills
 * the JVM instead (an exit code above 128). Exits 0 when every try ran.
 *
 * <p>System properties: {@code backend} (required, e.g. {@code nd4j}), {@code tries} (default 5)
 * and {@code size} (default 1024).
 */
public final class ConcurrentCloseProbe {

    private ConcurrentCloseProbe() {
    }

    /** Runs the tries on the backend the {@code backend} property names. */
    public static void main(String[] args) throws Exception {
        int tries = Integer.getInteger("tries", 5);
        int n = Integer.getInteger("size", 1024);
        Engine engine = engine(System.getProperty("backend"), DType.FLOAT32);
        for (int t = 0; t < tries; t++) {
            System.out.println(oneTry(engine, n));
        }
    }

    /** Returns an engine of backend {@code name} found on the classpath. */
    static Engine engine(String name, DType dtype) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("set -Dbackend=<name> for the probe");
        }
        PolygradConfig config = PolygradConfig.defaults().withBackend(name).withDType(dtype).withSeed(1);
        return Polygrad.createEngine(BackendRegistry.fromClasspath().select(config).module(), config);
    }

    private static String oneTry(Engine engine, int n) throws Exception {
        AtomicReference<Tensor> shared = new AtomicReference<>();
        AtomicReference<String> outcome = new AtomicReference<>("NO OUTCOME");
        CountDownLatch created = new CountDownLatch(1);
        CountDownLatch computing = new CountDownLatch(1);
        Thread b = new Thread(() -> {
            try {
                created.await();
                Tensor x = shared.get();
                int products = 0;
                while (true) {
                    try (TensorScope s = TensorScope.open()) {
                        computing.countDown();
                        x.matmul(x);
                        products++;
                    } catch (IllegalStateException e) {
                        outcome.set("RELEASED " + products + " " + String.valueOf(e.getMessage()).replace('\n', ' '));
                        return;
                    }
                }
            } catch (Throwable e) {
                outcome.set("FAILED " + String.valueOf(e).replace('\n', ' '));
            }
        }, "B");
        b.start();
        BackendArray array;
        try (TensorScope scope = TensorScope.open()) {
            shared.set(engine.randn(n, n));
            array = shared.get().array();
            created.countDown();
            computing.await();
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 40));
        }
        // Held when B's kernel had the buffer as the scope closed: the free was deferred to B.
        boolean heldAtClose = array instanceof AbstractBackendArray counted && counted.holds() > 0;
        b.join();
        return outcome.get() + " [held by a running kernel at close: " + heldAtClose + "]";
    }
}
