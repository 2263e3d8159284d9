package io.polygrad.djl;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.config.PolygradConfig;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The release-while-computing race on libtorch, for a child JVM: thread B multiplies a 1024x1024
 * tensor by itself in a loop while thread A's scope, which created the tensor, closes after a
 * random delay. Prints one line per try, {@code RELEASED <n> <message>} when B got the "released"
 * error after {@code n} products, {@code FAILED <error>} for any other error; a native crash kills
 * the JVM (exit code above 128).
 *
 * <p>System properties: {@code tries} (default 5) and {@code size} (default 1024).
 */
public final class DjlConcurrentCloseMain {

    private DjlConcurrentCloseMain() {
    }

    /** Runs the tries. */
    public static void main(String[] args) throws Exception {
        int tries = Integer.getInteger("tries", 5);
        int n = Integer.getInteger("size", 1024);
        Engine engine = Polygrad.createEngine(new DjlModule(),
                PolygradConfig.defaults().withBackend("djl").withDType(DType.FLOAT32).withSeed(1));
        for (int t = 0; t < tries; t++) {
            System.out.println(oneTry(engine, n));
        }
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
                        x.matmul(x).add(x);
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
        try (TensorScope scope = TensorScope.open()) {
            shared.set(engine.randn(n, n));
            created.countDown();
            computing.await();
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, 40));
        }
        b.join();
        return outcome.get();
    }
}
