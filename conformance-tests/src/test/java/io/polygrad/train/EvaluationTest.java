package io.polygrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Tensor;
import io.polygrad.TensorScope;
import io.polygrad.config.PolygradConfig;
import io.polygrad.data.DataLoader;
import io.polygrad.data.FashionMnist;
import io.polygrad.data.LabelledImages;
import io.polygrad.loss.Losses;
import io.polygrad.nn.Lambda;
import io.polygrad.nn.Linear;
import io.polygrad.nn.Module;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.Adam;
import io.polygrad.optim.Optimizer;
import io.polygrad.scratch.ScratchBackend;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {

    static Engine engine(DType dtype) {
        return new Engine(new ScratchBackend(), new PolygradConfig("scratch", Device.CPU, dtype, 7));
    }

    static FashionMnist subset() throws IOException {
        try {
            return FashionMnist.load(Path.of(EvaluationTest.class
                    .getResource("/io/polygrad/conformance/fashion-mnist-subset").toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Module mlp(Engine e) {
        return new Sequential(new Lambda("Flatten", x -> x.reshape(x.shape()[0], -1)), new Linear(e, 784, 64),
                new ReLU(), new Linear(e, 64, 10));
    }

    @Test
    void of_batchedEvaluation_equalsTheWholeSetAtOnce() throws IOException {
        Engine e = engine(DType.FLOAT64);
        LabelledImages test = subset().test().slice(0, 250);
        Module model = mlp(e);
        Evaluation batched = Evaluation.of(model, Losses::crossEntropy, DataLoader.of(test, e).batchSize(64).build(), 10);
        Batch all = DataLoader.of(test, e).batchSize(250).build().iterator().next();
        Tensor logits = model.forward(all.x());
        ConfusionMatrix whole = new ConfusionMatrix(10);
        whole.add(logits, all.y());
        assertEquals(250, batched.samples());
        assertEquals(Losses.crossEntropy(logits, all.y()).item(), batched.meanLoss(), 1e-12);
        assertEquals(whole.accuracy(), batched.accuracy());
        for (int t = 0; t < 10; t++) {
            for (int p = 0; p < 10; p++) {
                assertEquals(whole.count(t, p), batched.confusion().count(t, p));
            }
        }
    }

    @Test
    void of_listOfBatches_leavesTheCallersTensorsUsable() throws IOException {
        Engine e = engine(DType.FLOAT32);
        List<Batch> batches = List.of(DataLoader.of(subset().test().slice(0, 20), e).batchSize(20).build()
                .iterator().next());
        Module model = mlp(e);
        Evaluation.of(model, Losses::crossEntropy, batches, 10);
        assertEquals(20, Evaluation.of(model, Losses::crossEntropy, batches, 10).samples());
        assertTrue(!batches.get(0).x().isReleased());
    }

    @Test
    void of_modelWithDropout_evaluatesInEvaluationModeAndRestoresTrainingMode() throws IOException {
        Engine e = engine(DType.FLOAT64);
        LabelledImages test = subset().test().slice(0, 100);
        Module model = new Sequential(mlp(e), new io.polygrad.nn.Dropout(0.5));
        double first = Evaluation.of(model, Losses::crossEntropy, DataLoader.of(test, e).batchSize(50).build(), 10)
                .meanLoss();
        double second = Evaluation.of(model, Losses::crossEntropy, DataLoader.of(test, e).batchSize(50).build(), 10)
                .meanLoss();
        assertEquals(first, second, "no units dropped while evaluating");
        assertTrue(model.isTraining(), "the model is back in training mode");
    }

    @Test
    void trainerOnALoader_runsOneShuffledPassPerEpoch() throws IOException {
        Engine e = engine(DType.FLOAT32);
        FashionMnist data = subset();
        Module model = mlp(e);
        DataLoader train = DataLoader.of(data.train().slice(0, 640), e).batchSize(64).shuffle(true).build();
        FitResult result = Trainer.builder(model, Losses::crossEntropy, Adam.builder(model.parameters()).build())
                .data(train).epochs(3).build().fit();
        assertEquals(30, result.steps());
        assertEquals(3, result.epochs());
        double first = result.losses().get(0);
        double last = result.losses().get(result.losses().size() - 1);
        assertTrue(last < first, "the loss falls: " + first + " -> " + last);
    }

    @Test
    void trainerOnAnEmptyIterable_failsInsteadOfLooping() {
        Engine e = engine(DType.FLOAT32);
        Module model = mlp(e);
        Trainer t = Trainer.builder(model, Losses::crossEntropy, Adam.builder(model.parameters()).build())
                .data(() -> java.util.Collections.<Batch>emptyIterator()).steps(10).build();
        IllegalStateException ex = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, t::fit);
        assertTrue(ex.getMessage().contains("no batches in epoch 1"), ex.getMessage());
    }

    @Test
    void anMlpTrainedOnTheSubset_classifiesMostTestImages() throws IOException {
        Engine e = engine(DType.FLOAT32);
        FashionMnist data = subset();
        Module model = mlp(e);
        Optimizer adam = Adam.builder(model.parameters()).lr(1e-3).build();
        DataLoader train = DataLoader.of(data.train(), e).batchSize(64).shuffle(true).build();
        double before = Evaluation.of(model, Losses::crossEntropy, DataLoader.of(data.test(), e).batchSize(500)
                .build(), 10).accuracy();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (var it = train.iterator(); it.hasNext(); ) {
                try (TensorScope step = TensorScope.open()) {
                    Batch b = it.next();
                    adam.zeroGrad();
                    Losses.crossEntropy(model.forward(b.x()), b.y()).backward();
                    adam.step();
                }
            }
        }
        Evaluation after = Evaluation.of(model, Losses::crossEntropy, DataLoader.of(data.test(), e).batchSize(500)
                .build(), 10);
        assertTrue(before < 0.3, "an untrained model is near chance: " + before);
        assertTrue(after.accuracy() > 0.7, "after 3 epochs on 2000 images: " + after.accuracy());
    }
}
