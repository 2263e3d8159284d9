package io.polygrad.readme;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.data.DataLoader;
import io.polygrad.data.FashionMnist;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Conv2d;
import io.polygrad.nn.Dropout;
import io.polygrad.nn.Flatten;
import io.polygrad.nn.Linear;
import io.polygrad.nn.MaxPool2d;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.Adam;
import io.polygrad.train.Batch;
import io.polygrad.train.Evaluation;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Keeps the README's CNN example true: the same code on the committed subset (fewer images, one epoch). */
class ReadmeCnnExampleTest {

    @Test
    @DisplayName("the README's CNN example trains on the default backend and beats chance after one short epoch")
    void readmeCnnExample_subset_learns() throws IOException, URISyntaxException {
        Engine engine = Polygrad.engine();
        FashionMnist data = FashionMnist.load(Path.of(ReadmeCnnExampleTest.class
                .getResource("/io/polygrad/conformance/fashion-mnist-subset").toURI()));
        Module cnn = new Sequential(
                new Conv2d(engine, 1, 32, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Conv2d(engine, 32, 64, 5, 1, 2), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(engine, 3136, 1024), new ReLU(), new Dropout(0.4),
                new Linear(engine, 1024, 10));
        Adam adam = Adam.builder(cnn.parameters()).lr(1e-3).build();
        DataLoader train = DataLoader.of(data.train().slice(0, 1024), engine).batchSize(128).shuffle(true).build();
        DataLoader test = DataLoader.of(data.test().slice(0, 500), engine).batchSize(500).build();
        cnn.train();
        for (Batch batch : train) {
            try (TensorScope step = TensorScope.open()) {
                adam.zeroGrad();
                Tensor loss = Losses.crossEntropy(cnn.forward(batch.x()), batch.y());
                loss.backward();
                adam.step();
            }
        }
        Evaluation eval = Evaluation.of(cnn, Losses::crossEntropy, test, 10);
        assertTrue(eval.accuracy() > 0.3, "8 steps of the CNN learn something: accuracy " + eval.accuracy());
    }

    @Test
    @DisplayName("the README still contains that example")
    void readme_containsTheCnnExample() throws IOException {
        String text = Files.readString(Path.of("..", "README.md"));
        assertTrue(text.contains("new Conv2d(engine, 1, 32, 5, 1, 2), new ReLU(), new MaxPool2d(2),"));
        assertTrue(text.contains("new Flatten(), new Linear(engine, 3136, 1024), new ReLU(), new Dropout(0.4),"));
        assertTrue(text.contains("Tensor loss = Losses.crossEntropy(cnn.forward(batch.x()), batch.y());"));
        assertTrue(text.contains("Evaluation eval = Evaluation.of(cnn, Losses::crossEntropy, test, 10);"));
    }
}
