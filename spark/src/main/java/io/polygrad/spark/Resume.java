package io.polygrad.spark;

import io.polygrad.DType;
import io.polygrad.Device;
import io.polygrad.Engine;
import io.polygrad.Polygrad;
import io.polygrad.config.PolygradConfig;
import io.polygrad.nn.Module;
import io.polygrad.optim.OptimizerSpec;

/** The driver's checks of a checkpoint a job resumes from, before any task starts. */
final class Resume {

    private Resume() {
    }

    /**
     * Returns the step the checkpoint at {@code uri} was written after, once it is known to continue
     * {@code plan}'s trajectory: its metadata matches the plan's ({@link Checkpoints#TRAJECTORY}), it
     * holds optimizer state unless the optimizer has none, and its parameters fit the model (checked by
     * loading them into a model the factory builds on the driver).
     *
     * @throws SparkTrainingException naming the checkpoint and what differs
     */
    static int check(String uri, ReplicaTask.Plan plan, OptimizerSpec optimizer) {
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
            boolean stateless = optimizer.name().equals("sgd") && optimizer.value("momentum") == 0;
            if (checkpoint.optimizer == null && !stateless) {
                throw new SparkTrainingException("The checkpoint " + uri + " holds no optimizer state, and "
                        + optimizer + " has state (momentum or moments) that a resumed job would start afresh; "
                        + "save it with optimizerCheckpoint(...) in the job that writes the checkpoints");
            }
            PolygradConfig config = new PolygradConfig(plan.backend(),
                    new Device(Device.Type.valueOf(plan.deviceType()), plan.deviceIndex()),
                    DType.valueOf(plan.dtype()), plan.seed());
            Engine engine = Polygrad.createEngine(config);
            Module model = plan.factory().create(engine);
            checkpoint.restore(model, engine, null, plan.optimizerCheckpoint());
            int step;
            try {
                step = checkpoint.step();
            } catch (NumberFormatException e) {
                throw new SparkTrainingException("The checkpoint " + uri + " has step '"
                        + checkpoint.metadata.get(Checkpoints.STEP) + "', not a number");
            }
            return step;
        }
    }
}
