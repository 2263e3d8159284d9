package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.data.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {

    private static final String SUBSET = "/io/polygrad/conformance/fashion-mnist-subset/";
    private static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    @TempDir
    Path dir;

    private Path data;

    /** Copies the committed 3000-image subset (a resource of the conformance suite's jar) into a directory. */
    @BeforeEach
    void copySubset() throws IOException {
        data = Files.createDirectory(dir.resolve("fashion-mnist"));
        for (String f : FILES) {
            try (InputStream in = TrainCommandTest.class.getResourceAsStream(SUBSET + f)) {
                Files.copy(in, data.resolve(f));
            }
        }
    }

    private List<Path> pngs() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".png")).toList();
        }
    }

    @Test
    void train_mlpOnTheSubset_printsAccuracyAndConfusionMatrixAndWritesThePlot() throws IOException {
        Path plot = dir.resolve("run.png");
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--epochs", "2",
                "--batch-size", "64", "--train-limit", "1000", "--test-limit", "500", "--plot", plot.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("polygrad train fashion-mnist on scratch"), r.out());
        assertTrue(r.out().contains("1000 training, 500 test images"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("2 ")), "a row per epoch:\n" + r.out());
        String accuracyLine = r.out().lines().filter(l -> l.startsWith("Test accuracy: ")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(accuracyLine.split(" ")[2]);
        assertTrue(accuracy > 0.5 && accuracy <= 1, "two epochs on 1000 images learn something: " + accuracyLine);
        assertTrue(r.out().contains("9 Ankle boot"), r.out());
        BufferedImage image = ImageIO.read(plot.toFile());
        assertEquals(1120, image.getWidth());
        assertEquals(910, image.getHeight());
    }

    @Test
    void train_unknownDataSetOrModel_isAUsageError() throws IOException {
        CliRunner.Result set = CliRunner.run("train", "cifar-10", "--data", data.toString());
        assertEquals(2, set.exitCode());
        assertTrue(set.err().contains("Unknown data set 'cifar-10'; known: fashion-mnist"), set.err());
        CliRunner.Result model = CliRunner.run("train", "fashion-mnist", "--model", "resnet", "--data", data.toString());
        assertEquals(2, model.exitCode());
        assertTrue(model.err().contains("Unknown model 'resnet'; known: mlp, cnn"), model.err());
        assertEquals(List.of(), pngs());
    }

    @Test
    void train_defaults_standardiseByTheTrainingImagesAndAnnealTheRate() throws IOException {
        CliRunner.Result standard = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--epochs", "1",
                "--train-limit", "256", "--test-limit", "100", "--no-plot");
        assertEquals(0, standard.exitCode(), standard.err());
        double mean = FashionMnist.load(data).train().slice(0, 256).pixelMean();
        assertTrue(standard.out().contains(String.format(java.util.Locale.ROOT,
                "pixels standardised by the training images' mean %.4f", mean)), standard.out());
        assertTrue(standard.out().contains("Adam lr 0.001 cosine-annealed per epoch"), standard.out());

        CliRunner.Result plain = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--epochs", "1",
                "--train-limit", "256", "--test-limit", "100", "--no-plot", "--no-normalize", "--schedule", "constant");
        assertEquals(0, plain.exitCode(), plain.err());
        assertTrue(plain.out().contains("pixels in [0, 1]"), plain.out());
        assertTrue(plain.out().contains("Adam lr 0.001, batch 128"), plain.out());
        assertTrue(firstEpochLoss(standard.out()) != firstEpochLoss(plain.out()),
                "standardised inputs change the first epoch's loss");
    }

    @Test
    void train_cnnOnSpark_isAUsageErrorSayingTheMlpIsTheSparkModel() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--model", "cnn",
                "--spark", "local[2]");
        assertEquals(2, r.exitCode(), r.out());
        assertTrue(r.err().contains("On Spark the train command trains the mlp only; drop --model cnn or --spark"),
                r.err());
    }

    @Test
    void train_unknownSchedule_isAUsageErrorNamingTheChoices() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--schedule", "step");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("'step' is not a schedule; choose cosine or constant"), r.err());
    }

    private static double firstEpochLoss(String out) {
        String row = out.lines().filter(l -> l.trim().startsWith("1 ")).findFirst().orElseThrow();
        return Double.parseDouble(row.trim().split("\\s+")[1]);
    }

    @Test
    void train_nonPositiveCounts_areUsageErrorsNamingTheOption() throws IOException {
        for (String option : List.of("--epochs", "--batch-size", "--train-limit", "--test-limit")) {
            CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), option, "0");
            assertEquals(2, r.exitCode(), option);
            assertTrue(r.err().contains("Invalid value for option '" + option + "': 0"), r.err());
        }
        assertEquals(List.of(), pngs());
    }

    @Test
    void train_directoryWithoutTheFiles_isAUsageErrorSayingHowToGetThem() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", empty.toString(),
                "--plot", dir.resolve("x.png").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("lacks train-images-idx3-ubyte[.gz]"), r.err());
        assertTrue(r.err().contains("apt-get install dataset-fashion-mnist"), r.err());
        assertEquals(List.of(), pngs());
    }

    @Test
    void train_corruptFile_isAUsageErrorNamingTheFile() throws IOException {
        Files.write(data.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0});
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--no-plot");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("t10k-labels-idx1-ubyte.gz"), r.err());
        assertTrue(r.err().contains("corrupt or truncated gzip"), r.err());
    }

    // ---- train --spark: the same command data-parallel on Spark (SparkTraining)

    @Test
    void train_onSparkLocal2_reportsStepLossesEpochAccuracyAndThroughput() throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--epochs", "2",
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

        // resumed from the epoch-1 checkpoint (Adam's state included), epoch 2 is the same to the last digit
        CliRunner.Result resumed = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--epochs", "2",
                "--batch-size", "20", "--train-limit", "1000", "--test-limit", "300", "--spark", "local[2]",
                "--resume", checkpoints.resolve("epoch-0000.safetensors").toString());

        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.out().contains("  resume    from "), resumed.out());
        assertTrue(resumed.out().contains("Spark: 2 tasks, 50 steps"), resumed.out());
        assertEquals(epochRow(r.out(), 2), epochRow(resumed.out(), 2));
        assertTrue(resumed.out().lines().noneMatch(l -> l.startsWith("    1  ")), "epoch 1 is not retrained");
    }

    /** Returns the epoch's row of the table (loss, test loss, accuracy), without its time. */
    private static String epochRow(String out, int epoch) {
        String row = out.lines().filter(l -> l.startsWith(String.format("%5d  ", epoch))).findFirst()
                .orElseThrow(() -> new AssertionError("no row for epoch " + epoch + ":\n" + out));
        return row.substring(0, row.lastIndexOf(' ', row.length() - 3)).trim();
    }

    @Test
    void train_resumeWithoutSpark_isAUsageErrorNamingTheOption() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--resume",
                "epoch-0000.safetensors", "--no-plot");

        assertEquals(PolygradCli.EXIT_USAGE, r.exitCode(), r.out());
        assertTrue(r.err().contains("Option '--resume' applies to training on Spark only"), r.err());
    }

    @Test
    void train_onSparkWithMoreTasksThanCores_isAUsageErrorSayingWhatToUse() throws IOException {
        CliRunner.Result r = CliRunner.run("train", "fashion-mnist", "--data", data.toString(), "--epochs", "1",
                "--train-limit", "100", "--test-limit", "100", "--spark", "local[2]", "--spark-tasks", "3");

        assertEquals(PolygradCli.EXIT_USAGE, r.exitCode(), r.out());
        assertTrue(r.err().contains("numTasks(3)") && r.err().contains("has 2 task slots"), r.err());
    }
}
