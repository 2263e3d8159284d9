package io.polygrad.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.polygrad.DType;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.nn.Module;
import io.polygrad.optim.Adam;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerSpec;
import io.polygrad.optim.SGD;
import io.polygrad.scratch.ScratchModule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The classic settings hold their optimizers as data, and build them on demand. */
class SettingTest {

    @Test
    void classicSettings_nameTheirOptimizerAndLearningRate() {
        assertEquals(OptimizerSpec.of("adam").with("lr", 0.001), Problems.LINE.setting("adam").optimizer());
        assertEquals(OptimizerSpec.of("sgd").with("lr", 0.1), Problems.LINE.setting("sgd").optimizer());
        for (Setting s : Problems.QUADRATIC.settings()) {
            assertEquals("sgd", s.optimizer().name(), s.name());
            assertEquals(0.01, s.optimizer().lr(), s.name());
        }
        assertEquals(List.of("adam", "sgd"), Problems.RELU.settings().stream().map(s -> s.optimizer().name()).toList());
    }

    @Test
    void optimizer_buildsTheOptimizerTheSpecNames() {
        Engine engine = Polygrad.createEngine(new ScratchModule(),
                PolygradConfig.defaults().withBackend("scratch").withDType(DType.FLOAT64));
        Module model = Problems.LINE.model(engine);
        Optimizer adam = Problems.LINE.setting("adam").optimizer(model.parameters());
        assertInstanceOf(Adam.class, adam);
        assertEquals(0.001, adam.lr());
        assertEquals(model.parameters(), adam.parameters());
        Optimizer sgd = Problems.QUADRATIC.setting("literal").optimizer(model.parameters());
        assertInstanceOf(SGD.class, sgd);
        assertEquals(0.01, sgd.lr());
    }

    @Test
    void withSteps_keepsEverythingElse() {
        Setting literal = Problems.QUADRATIC.setting("literal");
        Setting longer = literal.withSteps(25);
        assertEquals(25, longer.steps());
        assertEquals(literal.name(), longer.name());
        assertSame(literal.optimizer(), longer.optimizer());
        assertEquals(literal.zeroGrad(), longer.zeroGrad());
    }
}
