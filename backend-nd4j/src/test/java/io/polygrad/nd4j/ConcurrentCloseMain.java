package io.polygrad.nd4j;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.config.PolygradConfig;
import io.polygrad.spi.AbstractBackendArray;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The release-while-computing race, for a child JVM: thread B multiplies a 1024x1024 tensor by
 * itself in a loop while thread A's scope, which created the tensor, closes after a random delay.
 * Prints {@code RELEASED <n> <message>} when B got the "released" error after {@code n} products,
 * and exits 0; before the fix the JVM died in OpenBLAS instead (SIGSEGV, exit 134).
 *
 * <p>System properties: {@code tries}, the number of tries in this JVM (default 5), and {@code size}
 * (default 1024).
 */
public final class ConcurrentCloseMain {

    private ConcurrentCloseMain() {
    }

    /** Runs the tries. */
    public static void main(String[] args) throws Exception {
        int tries = Integer.getInteger("tries", 5);
        int n = Integer.getInteger("size", 1024);
        Engine engine = Polygrad.createEngine(new Nd4jModule(),
                PolygradConfig.defaults().withBackend("nd4j").withDType(DType.FLOAT32).withSeed(1));
        for (int t = 0; t < tries; t++) {
            System.out.println(oneTry(engine, n));
        }
    }

    static String oneTry(Engine engine, int n) throws Exception {
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
                        outcome.set("RELEASED " + products + " " + e.getMessage().replace('\n', ' '));
                        return;
                    }
                }
            } catch (Throwable e) {
                outcome.set("FAILED " + String.valueOf(e).replace('\n', ' '));
            }
        }, "B");
        b.start();
        AbstractBackendArray array;
        try (TensorScope scope = TensorScope.open()) {
            shared.set(engine.randn(n, n));
            array = (AbstractBackendArray) shared.get().array();
            created.countDown();
            computing.await();
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 40));
        }
        // 1 when B's matmul held the buffer as the scope closed: the free was deferred to B.
        int heldAtClose = array.holds();
        b.join();
        return outcome.get() + " [held by a running kernel at close: " + (heldAtClose > 0) + "]";
    }
}
