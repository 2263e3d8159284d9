package io.polygrad.scratch;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The per-thread spare buffers: reused once released, never handed out twice, bounded. Each test runs
 * on a thread of its own, which starts without spares.
 */
class ScratchBuffersTest {

    /** Runs {@code body} on a new thread and rethrows what it threw. */
    private static void onFreshThread(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() instanceof Error e) {
            throw e;
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
    }

    @Test
    void floats_afterRelease_returnsTheSameBufferForAShorterRequest() throws InterruptedException {
        onFreshThread(() -> {
            float[] first = ScratchBuffers.floats(1000);
            ScratchBuffers.release(first, null);
            assertSame(first, ScratchBuffers.floats(600));
        });
    }

    @Test
    void floats_takenAndNotReleased_isNeverHandedOutAgain() throws InterruptedException {
        onFreshThread(() -> {
            float[] spare = ScratchBuffers.floats(500);
            ScratchBuffers.release(spare, null);
            float[] taken = ScratchBuffers.floats(500);
            float[] second = ScratchBuffers.floats(500);
            assertSame(spare, taken);
            assertNotSame(taken, second, "a re-entrant kernel must get its own buffer");
        });
    }

    @Test
    void doubles_ofAnotherThread_areNotShared() throws InterruptedException {
        double[][] mine = new double[1][];
        onFreshThread(() -> {
            mine[0] = ScratchBuffers.doubles(800);
            ScratchBuffers.release(mine[0], null);
            assertSame(mine[0], ScratchBuffers.doubles(800));
        });
        onFreshThread(() -> assertNotSame(mine[0], ScratchBuffers.doubles(800)));
    }

    @Test
    void release_ofTheOperandItself_keepsNothing() throws InterruptedException {
        onFreshThread(() -> {
            float[] operand = new float[700];
            ScratchBuffers.release(operand, operand);
            assertNotSame(operand, ScratchBuffers.floats(700), "an operand the kernel read directly is not scratch space");
        });
    }

    @Test
    void release_ofABufferLongerThanTheLimit_keepsNothing() throws InterruptedException {
        onFreshThread(() -> {
            float[] huge = new float[ScratchBuffers.MAX_RETAINED + 1];
            ScratchBuffers.release(huge, null);
            float[] got = ScratchBuffers.floats(ScratchBuffers.MAX_RETAINED + 1);
            assertNotSame(huge, got);
            assertTrue(got.length >= ScratchBuffers.MAX_RETAINED + 1);
        });
    }

    @Test
    void release_withEverySlotTaken_replacesTheShortestSpare() throws InterruptedException {
        onFreshThread(() -> {
            float[] small = ScratchBuffers.floats(100);
            float[] medium = ScratchBuffers.floats(200);
            float[] large = ScratchBuffers.floats(300);
            ScratchBuffers.release(small, null);
            ScratchBuffers.release(medium, null);
            ScratchBuffers.release(large, null);
            assertSame(large, ScratchBuffers.floats(250));
            assertSame(medium, ScratchBuffers.floats(150));
            assertNotSame(small, ScratchBuffers.floats(50), "the 100-element spare gave way to the 300-element one");
        });
    }
}
