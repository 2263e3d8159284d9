package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests {@code polygrad train fashion-mnist --spark local[2]} on the committed subset. */
class SparkTrainCommandTest {

    private static final String SUBSET = "/io/polygrad/conformance/fashion-mnist-subset/";
    private static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    @TempDir
    Path dir;

    private Path subset() throws IOException {
        Path data = Files.createDirectory(dir.resolve("fashion-mnist"));
        for (String f : FILES) {
            try (InputStream in = SparkTrainCommandTest.class.getResourceAsStream(SUBSET + f)) {
                Files.copy(in, data.resolve(f));
            }
        }
        return data;
    }

    @Test
    void train_onSparkLocal2_reportsStepLossesEpochAccuracyAndThroughput() throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", subset().toString(), "--epochs", "2",
                "--batch-size", "20", "--train-limit", "1000", "--test-limit", "300", "--spark", "local[2]",
                "--checkpoints", checkpoints.toString());

        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("master local[2], synchronous SGD"), r.out());
        assertTrue(r.out().contains("  epoch 1 step 50/50 (step 50)  loss "), r.out());
        assertTrue(r.out().contains("  epoch 2 step 50/50 (step 100)  loss "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("2 ")), "a row per epoch:\n" + r.out());
        String accuracyLine = r.out().lines().filter(l -> l.startsWith("Test accuracy: ")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(accuracyLine.split(" ")[2]);
        assertTrue(accuracy > 0.5 && accuracy <= 1, "two epochs on 1000 images learn something: " + accuracyLine);
        assertTrue(r.out().contains("Spark: 2 tasks, 100 steps"), r.out());
        assertTrue(Files.exists(checkpoints.resolve("epoch-0001.safetensors")), "the last epoch's checkpoint");
    }

    @Test
    void train_onSparkWithMoreTasksThanCores_isAUsageErrorSayingWhatToUse() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", subset().toString(), "--epochs", "1",
                "--train-limit", "100", "--test-limit", "100", "--spark", "local[2]", "--spark-tasks", "3");

        assertEquals(PolygradCli.EXIT_USAGE, r.exitCode(), r.out());
        assertTrue(r.err().contains("numTasks(3)") && r.err().contains("has 2 task slots"), r.err());
    }
}
