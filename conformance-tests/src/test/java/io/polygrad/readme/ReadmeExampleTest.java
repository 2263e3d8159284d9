package io.polygrad.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.Engine;
import io.polygrad.NoGrad;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps the README's 15-line example true: the same code, run on the default backend. */
class ReadmeExampleTest {

    @Test
    @DisplayName("the README's line example recovers w = 2 and b = -3 on the default backend")
    void readmeLineExample_defaultBackend_recoversLine() {
        Engine engine = Polygrad.engine();
        assertEquals("scratch", engine.backend().name());
        Tensor x = engine.linspace(-1, 1, 50);
        Tensor y = x.mul(2).sub(3);
        Tensor w = engine.tensor(new double[] {0}).requiresGrad(true);
        Tensor b = engine.tensor(new double[] {0}).requiresGrad(true);
        for (int step = 0; step < 500; step++) {
            Tensor loss = x.mul(w).add(b).sub(y).square().mean();
            loss.backward();
            try (NoGrad ignored = NoGrad.enter()) {
                w.subi(w.grad().mul(0.1));
                b.subi(b.grad().mul(0.1));
            }
            w.zeroGrad();
            b.zeroGrad();
        }
        assertEquals(2.0, w.item(), 1e-4);
        assertEquals(-3.0, b.item(), 1e-4);
        assertEquals("tensor([2.0000], requires_grad=True)", w.toString());
    }

    @Test
    @DisplayName("the README still contains that example")
    void readme_containsTheExample() throws IOException {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        assertTrue(text.contains("Tensor loss = x.mul(w).add(b).sub(y).square().mean();"));
        assertTrue(text.contains("w.subi(w.grad().mul(0.1));"));
    }
}
