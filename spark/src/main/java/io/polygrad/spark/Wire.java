package io.polygrad.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * The string form of the arrays that tasks exchange through {@code BarrierTaskContext.allGather}
 * (which takes strings): Base64 of little-endian bytes, a header of doubles followed by a payload of
 * floats or doubles, so values cross exactly and a float32 payload costs 4 bytes a value (plus Base64's
 * third).
 */
final class Wire {

    private Wire() {
    }

    /** A decoded message: its header and its payload widened to doubles. */
    record Message(double[] header, double[] payload) {
    }

    /** Returns {@code header} and {@code payload} as Base64 text; the payload as floats if {@code asFloat}. */
    static String encode(double[] header, double[] payload, boolean asFloat) {
        return Base64.getEncoder().encodeToString(bytes(header, payload, asFloat));
    }

    /** Returns the message encoded in {@code text} by {@link #encode}. */
    static Message decode(String text) {
        return fromBytes(Base64.getDecoder().decode(text));
    }

    /** Returns {@code header} and {@code payload} as little-endian bytes; the payload as floats if {@code asFloat}. */
    static byte[] bytes(double[] header, double[] payload, boolean asFloat) {
        int width = asFloat ? Float.BYTES : Double.BYTES;
        ByteBuffer buf = ByteBuffer.allocate(4 + 4 + header.length * Double.BYTES + payload.length * width)
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.putInt(header.length).putInt(asFloat ? 1 : 0);
        for (double h : header) {
            buf.putDouble(h);
        }
        if (asFloat) {
            for (double v : payload) {
                buf.putFloat((float) v);
            }
        } else {
            for (double v : payload) {
                buf.putDouble(v);
            }
        }
        return buf.array();
    }

    /** Returns the message made by {@link #bytes}. */
    static Message fromBytes(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = buf.getInt();
        boolean asFloat = buf.getInt() == 1;
        double[] header = new double[headerLength];
        for (int i = 0; i < headerLength; i++) {
            header[i] = buf.getDouble();
        }
        int n = buf.remaining() / (asFloat ? Float.BYTES : Double.BYTES);
        double[] payload = new double[n];
        for (int i = 0; i < n; i++) {
            payload[i] = asFloat ? buf.getFloat() : buf.getDouble();
        }
        return new Message(header, payload);
    }
}
