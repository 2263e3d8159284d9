package io.polygrad.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * The samples of a Spark SQL {@code Dataset<Row>}: a features column holding a numeric array (nested
 * arrays for more than one dimension, e.g. {@code array<array<float>>} for 28×28 images) and an
 * integral label column (or a floating-point one holding whole numbers).
 */
final class RowSamples {

    private RowSamples() {
    }

    /** The names of the features and label columns. */
    record Columns(String features, String label) implements Serializable {
    }

    /**
     * Returns the rows of {@code rows} as samples, after checking the schema on the driver and every row
     * in one pass; {@code inputShape} is the shape the features must have, or {@code null} for the first
     * row's. The returned array's second element is the input shape used.
     *
     * @throws SparkTrainingException naming the column, or the row and both shapes, that is wrong
     */
    static Tuple2<JavaRDD<Sample>, int[]> samples(Dataset<Row> rows, Columns columns, int[] inputShape) {
        StructType schema = rows.schema();
        checkFeaturesType(field(schema, columns.features(), "features"));
        checkLabelType(field(schema, columns.label(), "label"));
        JavaRDD<Row> selected = rows.select(columns.features(), columns.label()).javaRDD();
        List<Row> first = selected.take(1);
        if (first.isEmpty()) {
            throw new SparkTrainingException("The Dataset has no rows; a trainer needs at least one");
        }
        final int[] shape;
        if (inputShape != null) {
            shape = inputShape.clone();
        } else {
            String problem = problem(first.get(0), null, columns);
            if (problem != null) {
                throw new SparkTrainingException("Row 0 of the Dataset: " + problem);
            }
            shape = shapeOf(first.get(0).get(0), columns);
        }
        List<Tuple2<Row, Long>> bad = selected.zipWithIndex()
                .filter(t -> problem(t._1(), shape, columns) != null)
                .take(1);
        if (!bad.isEmpty()) {
            throw new SparkTrainingException("Row " + bad.get(0)._2() + " of the Dataset: "
                    + problem(bad.get(0)._1(), shape, columns));
        }
        int features = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        JavaRDD<Sample> samples = selected.map(row -> {
            float[] x = new float[features];
            flatten(row.get(0), x, new int[] {0}, columns);
            return new Sample(x, (int) ((Number) row.get(1)).doubleValue());
        });
        return new Tuple2<>(samples, shape);
    }

    private static StructField field(StructType schema, String name, String role) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new SparkTrainingException("The Dataset has no " + role + " column '" + name + "'; its columns are "
                + Arrays.toString(schema.fieldNames()) + " (set the name with " + role + "Column(...))");
    }

    private static void checkFeaturesType(StructField f) {
        DataType t = f.dataType();
        while (t instanceof ArrayType a) {
            t = a.elementType();
        }
        if (!(f.dataType() instanceof ArrayType) || !(t instanceof NumericType)) {
            throw new SparkTrainingException("The features column '" + f.name() + "' has type "
                    + f.dataType().simpleString() + "; it must be an array of numbers (nested arrays for more "
                    + "than one dimension), e.g. array<float>");
        }
    }

    private static void checkLabelType(StructField f) {
        DataType t = f.dataType();
        boolean integral = t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType)
                || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType);
        boolean floating = t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType);
        if (!integral && !floating) {
            throw new SparkTrainingException("The label column '" + f.name() + "' has type " + t.simpleString()
                    + "; it must hold class indices as int, long, short, byte, or whole-number float/double");
        }
    }

    /** Returns what is wrong with {@code row} (features, label), or {@code null} if nothing is. */
    static String problem(Row row, int[] expected, Columns columns) {
        Object label = row.get(1);
        if (label == null) {
            return "the label (column '" + columns.label() + "') is null";
        }
        double y = ((Number) label).doubleValue();
        if (y != Math.rint(y) || y < 0 || y > Integer.MAX_VALUE) {
            return "the label (column '" + columns.label() + "') is " + label
                    + "; class labels must be whole numbers, 0 or more";
        }
        Object features = row.get(0);
        if (features == null) {
            return "the features (column '" + columns.features() + "') are null";
        }
        int[] shape;
        try {
            shape = shapeOf(features, columns);
        } catch (SparkTrainingException e) {
            return e.getMessage();
        }
        if (expected != null && !Arrays.equals(shape, expected)) {
            return "the features (column '" + columns.features() + "') have shape " + Arrays.toString(shape)
                    + ", but the input shape is " + Arrays.toString(expected)
                    + " (every row's features must have the same shape)";
        }
        return null;
    }

    /** Returns the shape of nested arrays, failing if they are ragged or hold a null. */
    private static int[] shapeOf(Object value, Columns columns) {
        List<Integer> shape = new ArrayList<>();
        Object v = value;
        while (!(v instanceof Number)) {
            List<?> items = items(v, columns);
            shape.add(items.size());
            if (items.isEmpty()) {
                break;
            }
            v = items.get(0);
        }
        int[] out = shape.stream().mapToInt(Integer::intValue).toArray();
        check(value, out, 0, columns);
        return out;
    }

    private static void check(Object value, int[] shape, int depth, Columns columns) {
        if (depth == shape.length) {
            if (!(value instanceof Number)) {
                throw new SparkTrainingException("the features (column '" + columns.features() + "') are ragged "
                        + "or hold a null below shape " + Arrays.toString(shape));
            }
            return;
        }
        List<?> items = value instanceof Number ? null : items(value, columns);
        if (items == null || items.size() != shape[depth]) {
            throw new SparkTrainingException("the features (column '" + columns.features() + "') are ragged: "
                    + "an array at depth " + depth + " has " + (items == null ? "no" : items.size()) + " elements "
                    + "where the first has " + shape[depth]);
        }
        for (Object item : items) {
            check(item, shape, depth + 1, columns);
        }
    }

    private static List<?> items(Object value, Columns columns) {
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            return scala.jdk.javaapi.CollectionConverters.asJava(seq);
        }
        throw new SparkTrainingException("the features (column '" + columns.features() + "') hold "
                + (value == null ? "a null" : "a " + value.getClass().getSimpleName()) + " where a number or an "
                + "array was expected");
    }

    private static void flatten(Object value, float[] out, int[] at, Columns columns) {
        if (value instanceof Number n) {
            out[at[0]++] = n.floatValue();
            return;
        }
        for (Object item : items(value, columns)) {
            flatten(item, out, at, columns);
        }
    }
}
