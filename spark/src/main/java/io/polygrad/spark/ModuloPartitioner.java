package io.polygrad.spark;

import org.apache.spark.Partitioner;

/**
 * A partitioner that sends the sample at global position {@code i} to task {@code i mod N}, so every
 * window of consecutive positions (a global batch) splits into shards that differ by at most one sample.
 */
final class ModuloPartitioner extends Partitioner {

    private static final long serialVersionUID = 1L;

    private final int tasks;

    ModuloPartitioner(int tasks) {
        this.tasks = tasks;
    }

    @Override
    public int numPartitions() {
        return tasks;
    }

    @Override
    public int getPartition(Object key) {
        return (int) Math.floorMod((Long) key, (long) tasks);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModuloPartitioner p && p.tasks == tasks;
    }

    @Override
    public int hashCode() {
        return tasks;
    }
}
