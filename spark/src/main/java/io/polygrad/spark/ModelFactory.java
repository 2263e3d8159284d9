package io.polygrad.spark;

import io.polygrad.Engine;
import io.polygrad.nn.Module;
import java.io.Serializable;

/**
 * A serializable recipe for a model that every Spark task runs to build its replica.
 *
 * <p>Each task calls {@link #create} once with an engine made from the trainer's configuration and
 * seed, so a factory that draws every initial value from that engine (as polygrad's layers do) makes
 * identical replicas. The trainer compares the replicas' parameter checksums before the first step
 * and fails if they differ.
 *
 * <pre>{@code
 * ModelFactory mlp = engine -> new Sequential(
 *         new Linear(engine, 784, 64), new ReLU(), new Linear(engine, 64, 10));
 * }</pre>
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {

    /** Returns a new model whose parameters are created on {@code engine}. */
    Module create(Engine engine);
}
