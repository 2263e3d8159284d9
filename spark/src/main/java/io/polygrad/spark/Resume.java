package io.polygrad.spark;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.nn.Module;
import io.polygrad.optim.Optimizer;
import io.polygrad.optim.OptimizerSpec;

/** The driver's checks of a checkpoint a job resumes from, before any task starts. */
final class Resume {

    private Resume() {
    }

    /**
     * Returns the step the checkpoint at {@code uri} was written after, once it is known to continue
     * {@code plan}'s trajectory: its metadata matches the plan's ({@link Checkpoints#TRAJECTORY}; in local
     * SGD mode also the number of tasks, since each replica resumes its own optimizer state), and its
     * model and optimizer state fit (checked by loading them into a model the factory builds on the
     * driver and an optimizer made from the plan's spec; in local SGD mode every task's state).
     *
     * @throws SparkTrainingException naming the checkpoint and what differs
     */
    static int check(String uri, ReplicaTask.Plan plan) {
        try (Checkpoints.Local checkpoint = Checkpoints.Local.fetch(uri)) {
            var expected = plan.trajectory();
            for (String key : Checkpoints.TRAJECTORY) {
                String found = checkpoint.metadata.get(key);
                if (!expected.get(key).equals(found)) {
                    throw new SparkTrainingException("The checkpoint " + uri + " was written by a job with " + key
                            + " = " + found + ", but this job has " + key + " = " + expected.get(key)
                            + "; resuming would not continue the same trajectory");
                }
            }
            boolean localSgd = plan.mode() == SparkTrainer.Mode.LOCAL_SGD;
            if (localSgd && checkpoint.tasks() != plan.tasks()) {
                throw new SparkTrainingException("The checkpoint " + uri + " was written by a local SGD job of "
                        + checkpoint.tasks() + " tasks, but this job has " + plan.tasks() + "; in local SGD mode every "
                        + "replica resumes its own optimizer state and shard, so use numTasks(" + checkpoint.tasks()
                        + ")");
            }
            PolygradConfig config = new PolygradConfig(plan.backend(),
                    new Device(Device.Type.valueOf(plan.deviceType()), plan.deviceIndex()),
                    DType.valueOf(plan.dtype()), plan.seed());
            Engine engine = Polygrad.createEngine(config);
            Module model = plan.factory().create(engine);
            Optimizer optimizer = new OptimizerSpec(plan.optimizer(), plan.hyperParameters())
                    .create(model.parameters());
            checkpoint.restore(model, optimizer, 0);
            for (int rank = 1; rank <= checkpoint.replicas(); rank++) {
                checkpoint.restoreReplica(optimizer, rank);
            }
            return checkpoint.step();
        }
    }
}
