package io.polygrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FitCommandTest {

    @TempDir
    Path dir;

    private String plot() {
        return dir.resolve("fit.png").toString();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** Asserts a usage error: exit 2, the message and a usage text on stderr, nothing on stdout, no file written. */
    private void assertUsageError(CliRunner.Result r, String... expected) throws IOException {
        assertEquals(2, r.exitCode(), r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), "stderr should contain '" + e + "' but was:\n" + r.err());
        }
        assertTrue(r.err().contains("Usage: polygrad fit"), r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), files().stream().filter(p -> !p.toString().endsWith(".csv")).toList(),
                "no file may be written on bad input");
    }

    private Path csv(String content) throws IOException {
        return Files.writeString(dir.resolve("data.csv"), content);
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void fit_unknownProblem_isAUsageErrorListingTheProblems() throws IOException {
        assertUsageError(CliRunner.run("fit", "cubic", "--plot", plot()),
                "Unknown problem 'cubic'", "line, quadratic, relu, double-relu");
    }

    @Test
    void fit_missingProblem_isAUsageError() throws IOException {
        assertUsageError(CliRunner.run("fit", "--plot", plot()), "PROBLEM");
    }

    @Test
    void fit_unknownBackend_isAUsageErrorNamingAvailableBackends() throws IOException {
        assertUsageError(CliRunner.run("fit", "quadratic", "--backend", "tensorflow", "--plot", plot()),
                "Backend 'tensorflow' is not on the classpath", "scratch");
    }

    @Test
    void fit_unknownOptimizer_isAUsageErrorListingTheOptimizers() throws IOException {
        assertUsageError(CliRunner.run("fit", "line", "--optimizer", "rmsprop", "--plot", plot()),
                "--optimizer", "unknown optimizer 'rmsprop'", "sgd or adam");
    }

    @Test
    void fit_unknownDtype_isAUsageError() throws IOException {
        assertUsageError(CliRunner.run("fit", "line", "--dtype", "f16", "--plot", plot()),
                "--dtype", "unknown dtype 'f16'");
    }

    @Test
    void fit_unknownDevice_isAUsageError() throws IOException {
        assertUsageError(CliRunner.run("fit", "line", "--device", "tpu", "--plot", plot()), "unknown device 'tpu'");
    }

    @Test
    void fit_unknownSetting_isAUsageErrorListingTheSettings() throws IOException {
        assertUsageError(CliRunner.run("fit", "quadratic", "--setting", "fast", "--plot", plot()),
                "Unknown setting 'fast'", "zero-grad, literal");
    }

    @ParameterizedTest(name = "--lr {0}")
    @ValueSource(strings = {"-0.1", "0", "abc", "NaN", "Infinity", ""})
    void fit_badLearningRate_isAUsageError(String lr) throws IOException {
        assertUsageError(CliRunner.run("fit", "line", "--lr", lr, "--plot", plot()), "--lr");
    }

    @ParameterizedTest(name = "--steps {0}")
    @ValueSource(strings = {"0", "-5", "ten", "1.5"})
    void fit_badSteps_isAUsageError(String steps) throws IOException {
        assertUsageError(CliRunner.run("fit", "line", "--steps", steps, "--plot", plot()), "--steps");
    }

    @Test
    void fit_badSeed_isAUsageError() throws IOException {
        assertUsageError(CliRunner.run("fit", "line", "--seed", "x", "--plot", plot()), "--seed");
    }

    @Test
    void fit_missingCsv_isAUsageError() throws IOException {
        assertUsageError(CliRunner.run("fit", "quadratic", "--data", dir.resolve("nope.csv").toString(),
                "--plot", plot()), "--data", "nope.csv: no such file");
    }

    @Test
    void fit_emptyCsv_isAUsageError() throws IOException {
        Path p = csv("");
        assertUsageError(CliRunner.run("fit", "quadratic", "--data", p.toString(), "--plot", plot()),
                "--data", "is empty");
    }

    @Test
    void fit_malformedCsv_reportsLineNumberAndText() throws IOException {
        Path p = csv("x,y\n1,2\n2,3\n3;4\n");
        assertUsageError(CliRunner.run("fit", "quadratic", "--data", p.toString(), "--plot", plot()),
                "data.csv:4", "\"3;4\"");
    }

    @Test
    void fit_nonNumericCsvValue_reportsLineNumberAndText() throws IOException {
        Path p = csv("x,y\n1,2\n2,oops\n");
        assertUsageError(CliRunner.run("fit", "quadratic", "--data", p.toString(), "--plot", plot()),
                "data.csv:3", "\"oops\" is not a number", "\"2,oops\"");
    }

    @Test
    void fit_plotInMissingDirectory_isAUsageErrorBeforeTraining() throws IOException {
        assertUsageError(CliRunner.run("fit", "quadratic", "--plot", dir.resolve("no/such/dir/p.png").toString()),
                "--plot", "does not exist");
    }

    @Test
    void fit_plotUnderARegularFile_isAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("file.csv"), "1,2\n");
        assertUsageError(CliRunner.run("fit", "quadratic", "--plot", file.resolve("p.png").toString()),
                "--plot", "not a directory");
    }

    @Test
    void fit_plotPathIsADirectory_isAUsageError() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub.png"));
        CliRunner.Result r = CliRunner.run("fit", "quadratic", "--plot", sub.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("is a directory"), r.err());
    }

    @Test
    void fit_plotWithoutPngExtension_isAUsageError() throws IOException {
        assertUsageError(CliRunner.run("fit", "quadratic", "--plot", dir.resolve("p.jpg").toString()),
                "--plot", ".png");
    }

    @Test
    void fit_plotAndNoPlot_isAUsageError() throws IOException {
        assertUsageError(CliRunner.run("fit", "quadratic", "--plot", plot(), "--no-plot"), "--no-plot");
    }

    // ---------------------------------------------------------------- runs

    @Test
    @DisplayName("fit quadratic prints the final parameters and loss and writes a two-chart PNG")
    void fit_quadratic_printsParametersAndWritesPlot() throws IOException {
        CliRunner.Result r = CliRunner.run("fit", "quadratic", "--steps", "200", "--plot", plot());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("Final parameters"), r.out());
        assertTrue(r.out().contains("a = "), r.out());
        assertTrue(r.out().contains("Final loss (mae)"), r.out());
        assertTrue(r.out().contains("Plot: "), r.out());
        assertEquals("", r.err(), "no progress bar without a terminal");
        BufferedImage png = ImageIO.read(dir.resolve("fit.png").toFile());
        assertTrue(png.getWidth() > png.getHeight(), "two charts side by side");
        assertEquals(List.of(dir.resolve("fit.png")), files(), "no temporary file left behind");
    }

    @Test
    void fit_json_isMachineReadableAndConverges() throws IOException {
        CliRunner.Result r = CliRunner.run("fit", "quadratic", "--json", "--no-plot", "--dtype", "f64");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("quadratic", json.get("problem").asText());
        assertEquals("scratch", json.get("backend").asText());
        assertEquals("float64", json.get("dtype").asText());
        assertEquals(1500, json.get("losses").size());
        assertTrue(json.get("finalLoss").asDouble() < json.get("firstLoss").asDouble());
        double a = json.get("parameters").get("a").get("values").get(0).asDouble();
        assertTrue(a > 2 && a < 4, "a should move from 1.1 towards 3, was " + a);
        assertTrue(json.get("plot").isNull());
        assertTrue(json.get("firstStepGradients").has("c"));
    }

    @Test
    void fit_lineWithOptimizerSgd_startsFromTheLinesSgdSetting() throws IOException {
        CliRunner.Result r = CliRunner.run("fit", "line", "--optimizer", "SGD", "--json", "--no-plot");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("sgd", json.get("optimizer").asText());
        assertEquals(0.1, json.get("lr").asDouble());
        double w = json.get("parameters").get("w").get("values").get(0).asDouble();
        double b = json.get("parameters").get("b").get("values").get(0).asDouble();
        assertEquals(2.0, w, 0.1);
        assertEquals(-3.0, b, 0.1);
    }

    @Test
    void fit_quadraticWithAdamAndLr_overridesTheSetting() throws IOException {
        CliRunner.Result r = CliRunner.run("fit", "quadratic", "--optimizer", "adam", "--lr", "0.05", "--steps", "30",
                "--json", "--no-plot");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("adam", json.get("optimizer").asText());
        assertEquals(0.05, json.get("lr").asDouble());
        assertEquals(30, json.get("stepsRun").asInt());
    }

    @Test
    void fit_csvData_fitsThosePoints() throws IOException {
        Path p = csv("x,y\n-1,5\n0,3\n1,1\n2,-1\n");
        CliRunner.Result r = CliRunner.run("fit", "line", "--data", p.toString(), "--optimizer", "sgd", "--json",
                "--no-plot");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(4, json.get("data").get("points").asInt());
        assertEquals(-2.0, json.get("parameters").get("w").get("values").get(0).asDouble(), 0.05);
    }

    @Test
    void fit_divergingLearningRate_writesThePlotAndExitsOne() throws IOException {
        CliRunner.Result r = CliRunner.run("fit", "line", "--optimizer", "sgd", "--lr", "50", "--plot", plot());
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("try a smaller --lr"), r.err());
        assertTrue(Files.exists(dir.resolve("fit.png")));
    }

    @Test
    void fit_sameSeed_givesIdenticalResults() throws IOException {
        String a = CliRunner.run("fit", "relu", "--steps", "20", "--json", "--no-plot").out();
        String b = CliRunner.run("fit", "relu", "--steps", "20", "--json", "--no-plot").out();
        JsonNode ja = new ObjectMapper().readTree(a);
        JsonNode jb = new ObjectMapper().readTree(b);
        assertEquals(ja.get("parameters"), jb.get("parameters"));
        assertFalse(ja.get("parameters").isEmpty());
    }
}
