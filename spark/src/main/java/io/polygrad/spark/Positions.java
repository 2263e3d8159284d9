package io.polygrad.spark;

import org.apache.spark.api.java.function.Function;
import org.apache.spark.api.java.function.PairFunction;
import scala.Tuple2;

/**
 * The functions {@link SparkTrainer#fit} ships to the executors. They live apart from
 * {@code SparkTrainer} because deserializing a lambda reflects on every method of the class that made
 * it, and {@code SparkTrainer.fitRows} names {@code spark-sql}'s {@code Dataset}, which an RDD-only
 * application need not have.
 */
final class Positions {

    private Positions() {
    }

    /** Returns whether a numbered sample has not {@code features} input values or a negative label. */
    static Function<Tuple2<Sample, Long>, Boolean> invalid(int features) {
        return t -> t._1().input().length != features || t._1().label() < 0;
    }

    /** Returns the numbered sample keyed by its position. */
    static PairFunction<Tuple2<Sample, Long>, Long, Sample> byPosition() {
        return t -> new Tuple2<>(t._2(), t._1());
    }
}
