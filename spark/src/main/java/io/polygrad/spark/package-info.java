/**
 * Data-parallel training of polygrad models on Apache Spark.
 *
 * <p>{@link io.polygrad.spark.SparkTrainer} trains one model on an RDD of {@link io.polygrad.spark.Sample}s
 * in a single Spark barrier stage of N tasks. Every task builds a replica from the same
 * {@link io.polygrad.spark.ModelFactory} and seed; in the default
 * {@link io.polygrad.spark.SparkTrainer.Mode#SYNCHRONOUS} mode each step every task computes the
 * gradient of its shard of the global batch, the gradients are all-gathered and summed in task order,
 * and every replica applies the same optimizer update, so N tasks with a global batch B take the steps
 * of one machine with batch B. {@link io.polygrad.spark.SparkTrainer.Mode#LOCAL_SGD} lets each replica
 * step on its own shard and averages the parameters every k steps.
 *
 * <p>The input is an RDD of samples or, through {@link io.polygrad.spark.SparkTrainer#fitRows}, a Spark
 * SQL {@code Dataset<Row>} of a features array column and a label column; with shuffling every epoch
 * visits an {@link io.polygrad.spark.EpochOrder} derived from the seed and the epoch. Task 0 reports
 * every step and epoch to the driver as it happens ({@link io.polygrad.spark.StepListener},
 * {@link io.polygrad.spark.EpochListener}), and writes per-epoch {@link io.polygrad.spark.Checkpoints}
 * in polygrad's {@code Checkpoint} format (the model's state dict, buffers included, and the optimizer's
 * state dict; in local SGD mode every replica's), from which a job resumes with
 * {@link io.polygrad.spark.SparkTrainer.Builder#resumeFrom} and continues the same trajectory. Buffers
 * such as batch norm's running statistics are averaged across the replicas at every exchange, so every
 * replica, the result and the checkpoints hold the same ones.
 *
 * <p>Nothing in polygrad's api or backends knows about Spark; this module uses only their public API,
 * and Spark itself is a {@code provided} dependency that the cluster supplies.
 */
package io.polygrad.spark;
