package io.polygrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.polygrad.config.ConfigResolver;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    /** The committed subset: the first 2000 training and 1000 test images (tools/fashion-mnist-subset). */
    static Path subset() {
        try {
            return Path.of(FashionMnistTest.class.getResource("/io/polygrad/conformance/fashion-mnist-subset").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @TempDir
    Path dir;

    @Test
    void load_committedSubset_hasTheImagesAndLabelsOfTheFullSet() throws IOException {
        FashionMnist data = FashionMnist.load(subset());
        LabelledImages train = data.train();
        assertEquals(2000, train.size());
        assertEquals(1000, data.test().size());
        assertEquals(28, train.rows());
        assertEquals(28, train.columns());
        assertEquals(10, train.classCount());
        // The data set's first training image is an ankle boot, its first test image too.
        assertEquals("Ankle boot", FashionMnist.CLASSES.get(train.label(0)));
        assertEquals("Ankle boot", FashionMnist.CLASSES.get(data.test().label(0)));
        int[] counts = train.classCounts();
        assertEquals(2000, java.util.Arrays.stream(counts).sum());
        for (int c : counts) {
            assertTrue(c > 150 && c < 250, "classes are roughly balanced: " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void copyPixels_scalesBytesToUnitIntervalAndNormalises() throws IOException {
        LabelledImages train = FashionMnist.load(subset()).train();
        float[] scaled = new float[784];
        train.copyPixels(0, scaled, 0);
        float[] normalised = new float[784 + 3];
        train.copyPixels(0, normalised, 3, 0.5f, 0.25f);
        boolean sawDark = false;
        boolean sawBright = false;
        for (int k = 0; k < 784; k++) {
            int p = train.pixel(0, k / 28, k % 28);
            assertEquals(p / 255f, scaled[k], 1e-7f);
            assertEquals((p / 255f - 0.5f) / 0.25f, normalised[3 + k], 1e-5f);
            sawDark |= p == 0;
            sawBright |= p > 200;
        }
        assertTrue(sawDark && sawBright, "an image has background and foreground");
    }

    @Test
    void pixelMeanAndStd_subset_equalTheDirectSumsOverEveryPixel() throws IOException {
        LabelledImages train = FashionMnist.load(subset()).train().slice(10, 60);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < train.size(); i++) {
            for (int k = 0; k < 784; k++) {
                double p = train.pixel(i, k / 28, k % 28) / 255.0;
                sum += p;
                squares += p * p;
            }
        }
        double n = train.size() * 784.0;
        double mean = sum / n;
        assertEquals(mean, train.pixelMean(), 1e-12);
        assertEquals(Math.sqrt(squares / n - mean * mean), train.pixelStd(), 1e-12);
        assertEquals(train.pixelMean(), train.normalized(0.5f, 2f).pixelMean(), 0.0,
                "the statistics are of the scaled pixels, before normalisation");
    }

    @Test
    void pixelMeanAndStd_fullTrainingSet_areThePublishedNormalisationConstants() throws IOException {
        assumeTrue(Files.isDirectory(Path.of(FashionMnist.DEBIAN_DIRECTORY)),
                "needs Debian's dataset-fashion-mnist package");
        LabelledImages train = FashionMnist.load(Path.of(FashionMnist.DEBIAN_DIRECTORY)).train();
        assertEquals(0.2860, train.pixelMean(), 5e-5);
        assertEquals(0.3530, train.pixelStd(), 5e-5);
    }

    @Test
    void slice_sharesRecordsWithTheWholeSet() throws IOException {
        LabelledImages train = FashionMnist.load(subset()).train();
        LabelledImages part = train.slice(100, 110);
        assertEquals(10, part.size());
        assertEquals(train.label(105), part.label(5));
        assertEquals(train.pixel(105, 14, 14), part.pixel(5, 14, 14));
        assertThrows(IndexOutOfBoundsException.class, () -> part.label(10));
    }

    @Test
    void load_directoryMissingAFile_namesTheFileAndHowToGetIt() throws IOException {
        copySubset();
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("lacks t10k-labels-idx1-ubyte[.gz]"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void load_labelsAndImagesOfDifferentCounts_namesBothFiles() throws IOException {
        copySubset();
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"),
                IdxTest.gzip(IdxTest.idx(0x08, new int[] {3}, new byte[] {1, 2, 3})));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("holds 3 labels but"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 1000 images"), e.getMessage());
    }

    @Test
    void load_labelOutsideTheTenClasses_isAnError() throws IOException {
        copySubset();
        byte[] labels = new byte[1000];
        labels[7] = 10;
        Files.write(dir.resolve("t10k-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.idx(0x08, new int[] {1000}, labels)));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("label 7 is 10, outside the 10 classes [0, 10)"), e.getMessage());
    }

    @Test
    void load_imagesOfAnotherSize_isAnError() throws IOException {
        copySubset();
        Files.delete(dir.resolve("t10k-images-idx3-ubyte.gz"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTest.idx(0x08, new int[] {1000, 2, 2}, new byte[4000]));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("Fashion-MNIST images are [count, 28, 28]"), e.getMessage());
    }

    @Test
    void locate_dataSettingNamingARoot_findsTheFashionMnistSubdirectory() throws IOException {
        Path sub = Files.createDirectory(dir.resolve(FashionMnist.SUBDIRECTORY));
        copySubsetTo(sub);
        Properties sys = new Properties();
        sys.setProperty("polygrad.data", dir.toString());
        assertEquals(sub, FashionMnist.locate(new ConfigResolver(sys, Map.of(), new Properties())));
    }

    @Test
    void locate_environmentNamingTheDirectoryItself_findsIt() throws IOException {
        copySubset();
        assertEquals(dir, FashionMnist.locate(
                new ConfigResolver(new Properties(), Map.of("POLYGRAD_DATA", dir.toString()), new Properties())));
    }

    @Test
    void locate_dataSettingWithoutTheFiles_failsNamingEachPlaceAndTheSetting() {
        Properties sys = new Properties();
        sys.setProperty("polygrad.data", dir.toString());
        DatasetNotFoundException e = assertThrows(DatasetNotFoundException.class,
                () -> FashionMnist.locate(new ConfigResolver(sys, Map.of(), new Properties())));
        assertTrue(e.getMessage().contains(dir + " (from system property polygrad.data)"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("fashion-mnist") + " (from system property polygrad.data)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("-Dpolygrad.data=DIR"), e.getMessage());
    }

    @Test
    void load_debianPackage_hasTheFullSixtyAndTenThousand() throws IOException {
        Path debian = Path.of(FashionMnist.DEBIAN_DIRECTORY);
        assumeTrue(Files.isDirectory(debian), "needs Debian's dataset-fashion-mnist package (apt-get install "
                + "dataset-fashion-mnist)");
        assertEquals(debian, FashionMnist.locate(new ConfigResolver(new Properties(), Map.of(), new Properties())));
        FashionMnist full = FashionMnist.load(debian);
        assertEquals(60000, full.train().size());
        assertEquals(10000, full.test().size());
        assertArrayEquals(new int[] {6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000, 6000},
                full.train().classCounts());
        LabelledImages subset = FashionMnist.load(subset()).train();
        assertEquals(full.train().pixel(1999, 10, 10), subset.pixel(1999, 10, 10));
    }

    private void copySubset() throws IOException {
        copySubsetTo(dir);
    }

    private static void copySubsetTo(Path target) throws IOException {
        try (var files = Files.list(subset())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName().toString()));
            }
        }
    }
}
