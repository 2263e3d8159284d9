package io.polygrad.data;

import java.util.Arrays;

/**
 * An array of unsigned bytes read from an IDX file, with its shape: {@code [count]} for a label
 * file, {@code [count, rows, columns]} for an image file. Element {@code i} of the first axis is
 * the {@code i}-th record (an image or a label).
 */
public final class IdxArray {

    private final int[] shape;
    private final byte[] data;

    IdxArray(int[] shape, byte[] data) {
        this.shape = shape;
        this.data = data;
    }

    /** Returns a copy of the shape, outermost dimension first. */
    public int[] shape() {
        return shape.clone();
    }

    /** Returns the number of records: the size of the first dimension. */
    public int count() {
        return shape[0];
    }

    /** Returns the number of bytes in one record: the product of every dimension but the first. */
    public int recordSize() {
        return shape.length == 1 ? 1 : data.length / shape[0];
    }

    /** Returns the byte at flat (row-major) index {@code i} as an unsigned value in [0, 255]. */
    public int unsigned(int i) {
        return data[i] & 0xFF;
    }

    /** Returns the raw bytes in row-major order, not copied: callers must not change them. */
    byte[] bytes() {
        return data;
    }

    @Override
    public String toString() {
        return "IdxArray" + Arrays.toString(shape);
    }
}
