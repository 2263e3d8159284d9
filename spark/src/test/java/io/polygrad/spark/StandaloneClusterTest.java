package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.config.PolygradConfig;
import io.polygrad.optim.OptimizerSpec;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains on a real multi-process Spark standalone cluster on the loopback address: a master and two
 * workers started as child JVMs from the Maven jars (no Spark installation), whose executors are further
 * JVMs. Run with {@code -Pspark-cluster} (it takes about a minute); the default build skips it.
 *
 * <p>What a worker needs to launch an executor without {@code SPARK_HOME}: Spark's launcher looks for
 * {@code $SPARK_HOME/jars} and the Scala version, so the workers get {@code SPARK_SCALA_VERSION=2.13} and
 * a {@code SPARK_HOME} whose {@code jars} folder is empty; the executors' classpath is the library jars
 * of the test classpath ({@code spark.executor.extraClassPath}, standing in for a cluster's Spark
 * installation), and polygrad's own classes reach them as the application's jars ({@code spark.jars},
 * served by the driver), as {@code spark-submit --jars} would send them.
 */
@Tag("spark-cluster")
class StandaloneClusterTest {

    private static final PolygradConfig FLOAT64 = PolygradConfig.defaults().withDType(DType.FLOAT64).withSeed(11);
    private static final OptimizerSpec ADAM = OptimizerSpec.of("adam").with("lr", 0.01);

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    @DisplayName("On a standalone master and two workers in their own JVMs, executors in separate processes train, report epochs, write checkpoints, and match local[2] bit for bit")
    void fit_onStandaloneCluster_matchesLocalTraining(@TempDir Path dir) throws Exception {
        List<Sample> samples = SparkFixture.samples(SparkFixture.images(40));
        Path checkpoints = dir.resolve("checkpoints");
        SparkFitResult onCluster;
        List<EpochEvent> epochs = new ArrayList<>();
        long started = System.nanoTime();
        try (Cluster cluster = Cluster.start(dir, 2)) {
            JavaSparkContext sc = new JavaSparkContext(cluster.driverConf(dir));
            try {
                cluster.awaitExecutors(sc, 2, 120);
                long driver = ProcessHandle.current().pid();
                List<String> where = sc.parallelize(List.of(0, 1), 2).map(i -> ProcessHandle.current().pid() + " "
                        + Sample.class.getProtectionDomain().getCodeSource().getLocation()).collect();
                for (String w : where) {
                    assertFalse(w.startsWith(driver + " "), "tasks run in executor processes, not the driver: " + w);
                    assertTrue(w.endsWith("/spark-classes.jar"), "polygrad-spark's classes come from the "
                            + "application jar the driver served: " + w);
                }
                System.out.println("executor pid and polygrad-spark's jar: " + where);
                System.out.printf("standalone cluster %s up with 2 executors in %.1f s%n", cluster.masterUrl,
                        (System.nanoTime() - started) / 1e9);
                onCluster = trainer().epochListener(epochs::add).checkpointDirectory(checkpoints.toUri().toString())
                        .build().fit(sc.parallelize(samples, 2));
            } finally {
                sc.stop();
            }
        }
        System.out.printf("standalone cluster test: %.1f s in all%n", (System.nanoTime() - started) / 1e9);
        assertEquals(2, epochs.size(), "the executors reported both epochs to the driver");
        assertTrue(Files.exists(checkpoints.resolve(Checkpoints.fileName(1))), "task 0's executor wrote the checkpoint");

        JavaSparkContext local = SparkFixture.localContext();
        SparkFitResult inProcess;
        try {
            inProcess = trainer().build().fit(local.parallelize(samples, 2));
        } finally {
            local.stop();
        }
        assertEquals(0.0, SparkFixture.maxRelativeGap(onCluster.parameters(), inProcess.parameters()));
    }

    private static SparkTrainer.Builder trainer() {
        return SparkTrainer.builder().model(SparkFixture.MLP).optimizer(ADAM).config(FLOAT64)
                .inputShape(SparkFixture.PIXELS).batchSize(8).numTasks(2).epochs(2).shuffle(true);
    }

    /** A master and workers as child JVMs, stopped (with their executors) by {@link #close}. */
    private static final class Cluster implements AutoCloseable {
        private final List<Process> processes = new ArrayList<>();
        private final List<Path> logs = new ArrayList<>();
        private final List<String> libraries = new ArrayList<>();
        private final List<String> applicationJars = new ArrayList<>();
        private String masterUrl;

        /** Starts a master and {@code workers} workers of one core each, logging into {@code dir}. */
        static Cluster start(Path dir, int workers) throws Exception {
            Cluster c = new Cluster();
            try {
                c.splitClasspath(dir);
                Path log4j = dir.resolve("log4j2-cluster.properties");
                Files.writeString(log4j, String.join("\n", "rootLogger.level = warn",
                        "rootLogger.appenderRef.stdout.ref = console", "appender.console.type = Console",
                        "appender.console.name = console", "appender.console.layout.type = PatternLayout",
                        "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %p %c{1}: %m%n",
                        "logger.deploy.name = org.apache.spark.deploy", "logger.deploy.level = info", ""));
                Path sparkHome = Files.createDirectories(dir.resolve("spark-home").resolve("jars")).getParent();
                Path masterLog = c.launch(dir, "master", log4j, sparkHome, "org.apache.spark.deploy.master.Master",
                        "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
                Matcher m = c.await(masterLog, Pattern.compile("Starting Spark master at (spark://\\S+)"), 90);
                c.masterUrl = m.group(1);
                for (int w = 0; w < workers; w++) {
                    Path work = Files.createDirectories(dir.resolve("work-" + w));
                    c.launch(dir, "worker-" + w, log4j, sparkHome, "org.apache.spark.deploy.worker.Worker",
                            "--host", "127.0.0.1", "--cores", "1", "--memory", "768m", "--webui-port", "0",
                            "--work-dir", work.toString(), c.masterUrl);
                }
                return c;
            } catch (Exception | AssertionError e) {
                c.close();
                throw e;
            }
        }

        /**
         * Splits the test classpath into library jars (the executors' "Spark installation") and polygrad's
         * class folders, which are packed into application jars.
         */
        private void splitClasspath(Path dir) throws IOException {
            Path jars = Files.createDirectories(dir.resolve("app-jars"));
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Path.of(entry);
                if (Files.isDirectory(p)) {
                    // e.g. api/target/classes -> api-classes.jar
                    String name = p.getParent().getParent().getFileName() + "-" + p.getFileName() + ".jar";
                    Path jar = jars.resolve(name);
                    pack(p, jar);
                    applicationJars.add(jar.toUri().toString());
                } else if (!entry.isEmpty()) {
                    libraries.add(entry);
                }
            }
        }

        private static void pack(Path folder, Path jar) throws IOException {
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                    Stream<Path> files = Files.walk(folder)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                    out.putNextEntry(new JarEntry(folder.relativize(f).toString().replace(File.separatorChar, '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }

        /** Starts {@code mainClass} in a JVM with the test classpath; returns its log file. */
        private Path launch(Path dir, String name, Path log4j, Path sparkHome, String mainClass, String... args)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(moduleFlags());
            command.add("-Xmx256m");
            command.add("-Dlog4j2.configurationFile=" + log4j.toUri());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(mainClass);
            command.addAll(List.of(args));
            Path log = dir.resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("SPARK_HOME", sparkHome.toString());
            pb.environment().put("SPARK_SCALA_VERSION", "2.13");
            pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
            processes.add(pb.start());
            logs.add(log);
            return log;
        }

        /** Returns the JVM flags of this test JVM that Spark needs on Java 17 (--add-opens and the like). */
        private static List<String> moduleFlags() {
            List<String> flags = new ArrayList<>();
            for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (a.startsWith("--add-") || a.startsWith("-Djdk.reflect") || a.startsWith("-Dio.netty")) {
                    flags.add(a);
                }
            }
            return flags;
        }

        /** Waits until {@code log} has a line matching {@code pattern}; fails with the logs if a process died. */
        private Matcher await(Path log, Pattern pattern, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                if (Files.exists(log)) {
                    Matcher m = pattern.matcher(Files.readString(log, StandardCharsets.UTF_8));
                    if (m.find()) {
                        return m;
                    }
                }
                for (Process p : processes) {
                    if (!p.isAlive()) {
                        throw new AssertionError("a cluster process exited with " + p.exitValue() + ":\n" + tails());
                    }
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no '" + pattern + "' in " + log + " after " + seconds + " s:\n" + tails());
        }

        /** Returns the driver's configuration for this cluster. */
        SparkConf driverConf(Path dir) {
            List<String> executorFlags = new ArrayList<>(moduleFlags());
            executorFlags.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2-cluster.properties").toUri());
            return new SparkConf().setMaster(masterUrl).setAppName("polygrad-standalone-cluster-test")
                    .set("spark.driver.bindAddress", "127.0.0.1").set("spark.driver.host", "127.0.0.1")
                    .set("spark.ui.enabled", "false").set("spark.ui.showConsoleProgress", "false")
                    .set("spark.executor.memory", "512m").set("spark.executor.cores", "1").set("spark.cores.max", "2")
                    .set("spark.executor.extraClassPath", String.join(File.pathSeparator, libraries))
                    .set("spark.jars", String.join(",", applicationJars))
                    .set("spark.executor.extraJavaOptions", String.join(" ", executorFlags))
                    .set("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        }

        /** Waits until {@code count} executors have registered with the driver. */
        void awaitExecutors(JavaSparkContext sc, int count, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (sc.sc().statusTracker().getExecutorInfos().length < count + 1) {   // the driver is listed too
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("only " + (sc.sc().statusTracker().getExecutorInfos().length - 1) + " of "
                            + count + " executors registered after " + seconds + " s:\n" + tails());
                }
                Thread.sleep(200);
            }
        }

        /** Returns the last lines of every process's log. */
        private String tails() {
            StringBuilder sb = new StringBuilder();
            for (Path log : logs) {
                try {
                    List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
                    sb.append("--- ").append(log.getFileName()).append('\n');
                    lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
                } catch (IOException e) {
                    sb.append("(cannot read ").append(log).append(": ").append(e).append(")\n");
                }
            }
            return sb.toString();
        }

        /** Stops the workers' executors, the workers and the master, and waits for them to exit. */
        @Override
        public void close() throws InterruptedException {
            List<ProcessHandle> all = new ArrayList<>();
            for (int i = processes.size() - 1; i >= 0; i--) {
                Process p = processes.get(i);
                p.descendants().forEach(all::add);
                all.add(p.toHandle());
            }
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle h : all) {
                try {
                    h.onExit().get(15, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
        }
    }
}
