package io.polygrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.polygrad.DType;
import io.polygrad.config.PolygradConfig;
import io.polygrad.nn.Flatten;
import io.polygrad.nn.Linear;
import io.polygrad.nn.ReLU;
import io.polygrad.nn.Sequential;
import io.polygrad.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Tests training on a Spark SQL {@code Dataset<Row>} of a features array column and a label column. */
class DatasetInputTest {

    private static final PolygradConfig FLOAT64 = PolygradConfig.defaults().withDType(DType.FLOAT64).withSeed(11);
    private static final int SIDE = 28;

    private static JavaSparkContext sc;
    private static SparkSession spark;
    private static List<Sample> samples;

    @BeforeAll
    static void start() {
        sc = SparkFixture.localContext();
        spark = SparkSession.builder().config(sc.getConf()).getOrCreate();
        samples = SparkFixture.samples(SparkFixture.images(40));
    }

    @AfterAll
    static void stop() {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        sc.stop();
    }

    private static SparkTrainer.Builder trainer() {
        return SparkTrainer.builder().model(SparkFixture.MLP).optimizer(OptimizerSpec.of("sgd").with("lr", 0.1))
                .config(FLOAT64).batchSize(8).numTasks(2).maxSteps(3);
    }

    /** The run on the RDD of the samples, which the Dataset runs must equal. */
    private static SparkFitResult fromRdd;

    private static synchronized SparkFitResult rddResult() {
        if (fromRdd == null) {
            fromRdd = trainer().build().fit(sc.parallelize(samples, 2));
        }
        return fromRdd;
    }

    private static List<Float> flat(float[] x) {
        List<Float> out = new ArrayList<>(x.length);
        for (float v : x) {
            out.add(v);
        }
        return out;
    }

    private static List<List<Float>> image(float[] x) {
        List<List<Float>> rows = new ArrayList<>();
        for (int r = 0; r < SIDE; r++) {
            rows.add(flat(java.util.Arrays.copyOfRange(x, r * SIDE, (r + 1) * SIDE)));
        }
        return rows;
    }

    /** Returns the samples as rows of (features, label) under {@code schema}, each features made by {@code features}. */
    private static Dataset<Row> rows(StructType schema, Function<Sample, Object> features, List<Sample> data) {
        List<Row> rows = new ArrayList<>();
        for (Sample s : data) {
            boolean longLabel = schema.fields()[1].dataType().equals(DataTypes.LongType);
            rows.add(RowFactory.create(features.apply(s), longLabel ? (Object) (long) s.label() : (Object) s.label()));
        }
        return spark.createDataFrame(rows, schema);
    }

    private static StructType schema(String features, org.apache.spark.sql.types.DataType type, String label,
            org.apache.spark.sql.types.DataType labelType) {
        return new StructType().add(features, type).add(label, labelType);
    }

    private static final org.apache.spark.sql.types.DataType FLOATS = DataTypes.createArrayType(DataTypes.FloatType);

    @Test
    @DisplayName("A Dataset of float arrays and long labels, under configured column names, trains exactly as the RDD of the same samples")
    void fit_datasetOfFloatArrays_equalsTheRddInput() {
        Dataset<Row> rows = rows(schema("pixels", FLOATS, "y", DataTypes.LongType), s -> flat(s.input()), samples);

        SparkFitResult fromRows = trainer().featuresColumn("pixels").labelColumn("y").build().fitRows(rows);

        assertEquals(3, fromRows.steps());
        assertEquals(0.0, SparkFixture.maxRelativeGap(fromRows.parameters(), rddResult().parameters()));
    }

    @Test
    @DisplayName("Nested arrays give a 2-d input shape, [28, 28], which a Flatten-first model trains on as the flat rows")
    void fit_datasetOfNestedArrays_infersTheImageShape() {
        Dataset<Row> nested = rows(schema("features", DataTypes.createArrayType(FLOATS), "label", DataTypes.IntegerType),
                s -> image(s.input()), samples);
        ModelFactory flattening = engine -> new Sequential(new Flatten(), new Linear(engine, SIDE * SIDE, 16),
                new ReLU(), new Linear(engine, 16, 10));

        SparkFitResult images = trainer().model(flattening).build().fitRows(nested);

        assertEquals(0.0, SparkFixture.maxRelativeGap(renamed(images.parameters()), rddResult().parameters()));
    }

    /** Returns the parameters with the Flatten's index removed from their names (1.weight → 0.weight …). */
    private static java.util.Map<String, double[]> renamed(java.util.Map<String, double[]> params) {
        java.util.Map<String, double[]> out = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> out.put((Integer.parseInt(k.substring(0, k.indexOf('.'))) - 1) + k.substring(k.indexOf('.')), v));
        return out;
    }

    @Test
    @DisplayName("A row of the wrong shape fails before training, naming the row and both shapes")
    void fit_rowOfWrongShape_failsNamingTheRowAndBothShapes() {
        List<Sample> bad = new ArrayList<>(samples);
        bad.set(13, new Sample(new float[783], 1));
        Dataset<Row> flatRows = rows(schema("features", FLOATS, "label", DataTypes.IntegerType), s -> flat(s.input()), bad);

        SparkTrainingException e = assertThrows(SparkTrainingException.class,
                () -> trainer().inputShape(SparkFixture.PIXELS).build().fitRows(flatRows));
        assertTrue(e.getMessage().contains("Row 13 of the Dataset"), e.getMessage());
        assertTrue(e.getMessage().contains("have shape [783], but the input shape is [784]"), e.getMessage());

        bad.set(13, new Sample(new float[SIDE * (SIDE - 1)], 1));
        Dataset<Row> nested = rows(schema("features", DataTypes.createArrayType(FLOATS), "label", DataTypes.IntegerType),
                s -> s.input().length == SIDE * SIDE ? image(s.input())
                        : java.util.Collections.nCopies(SIDE, flat(new float[SIDE - 1])), bad);
        SparkTrainingException shaped = assertThrows(SparkTrainingException.class, () -> trainer().build().fitRows(nested));
        assertTrue(shaped.getMessage().contains("Row 13 of the Dataset"), shaped.getMessage());
        assertTrue(shaped.getMessage().contains("shape [28, 27], but the input shape is [28, 28]"), shaped.getMessage());
    }

    @Test
    @DisplayName("A missing column, a features column that is no array and a fractional label are named")
    void fit_wrongColumns_failNamingTheColumn() {
        Dataset<Row> rows = rows(schema("pixels", FLOATS, "y", DataTypes.IntegerType), s -> flat(s.input()), samples);
        SparkTrainingException missing = assertThrows(SparkTrainingException.class, () -> trainer().build().fitRows(rows));
        assertTrue(missing.getMessage().contains("no features column 'features'; its columns are [pixels, y]"),
                missing.getMessage());

        Dataset<Row> scalar = rows(schema("features", DataTypes.FloatType, "label", DataTypes.IntegerType),
                s -> s.input()[0], samples);
        SparkTrainingException type = assertThrows(SparkTrainingException.class, () -> trainer().build().fitRows(scalar));
        assertTrue(type.getMessage().contains("'features' has type float; it must be an array of numbers"),
                type.getMessage());

        List<Row> fractional = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fractional.add(RowFactory.create(flat(samples.get(i).input()), i == 4 ? 2.5 : 1.0));
        }
        Dataset<Row> labels = spark.createDataFrame(fractional,
                schema("features", FLOATS, "label", DataTypes.DoubleType));
        SparkTrainingException label = assertThrows(SparkTrainingException.class, () -> trainer().build().fitRows(labels));
        assertTrue(label.getMessage().contains("Row 4 of the Dataset: the label (column 'label') is 2.5"),
                label.getMessage());
    }
}
