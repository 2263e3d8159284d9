package io.polygrad.scratch;

import io.polygrad.spi.BackendArray;
import io.polygrad.spi.BinaryOp;
import io.polygrad.spi.UnaryOp;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain of elementwise kernels (and full sums and means over their values) fused into one loop over
 * the elements, generated as JVM bytecode for one captured step and loaded as a hidden class: each
 * element is computed once through the whole chain in locals, and only the values the rest of the
 * step needs are stored. The arithmetic is that of the eager kernels, in their operand order
 * ({@code a[i] op b[i]}, {@code x + (float) alpha · y}, transcendental functions in double rounded
 * once), and a sum accumulates in element order as the eager sum does up to its 64-element blocks,
 * so the values are the eager ones bit for bit.
 *
 * <p>{@link #run(BackendArray[])} takes the program's slots and reads each array the loop uses from
 * its slot (a {@link ScratchArray}, its elements through the package-private field): results must be
 * in their slots before the call.
 */
interface ScratchFusedKernel {

    /** Runs the loop on the scratch arrays in {@code slots}. */
    void run(BackendArray[] slots);

    /** Ops the fused loop computes: those of {@link Builder}. */
    static boolean fuses(UnaryOp op) {
        switch (op) {
            case NEG: case ABS: case SIGN: case SQRT: case EXP: case LOG: case TANH:
                return true;
            default:
                return false;
        }
    }

    /** Binary ops the fused loop computes. */
    static boolean fuses(BinaryOp op) {
        switch (op) {
            case ADD: case SUB: case MUL: case DIV: case MAXIMUM: case MINIMUM:
                return true;
            default:
                return false;
        }
    }

    /**
     * Writes the bytecode of one fused loop over {@code n} elements of float32 ({@code dbl} false) or
     * float64. Values are numbered as added; an operand is a value, an array read at each element, or an
     * array of one element read once before the loop.
     */
    final class Builder {

        private static final String ARRAY = "io/polygrad/scratch/ScratchArray";

        private final boolean dbl;
        private final int n;
        private int arrays;
        /** Per array: whether it holds one element (read once, before the loop), and its slot. */
        private final List<Boolean> single = new ArrayList<>();
        private final List<Integer> slots = new ArrayList<>();
        /** The loop body's instructions, as little emit programs run after the locals are laid out. */
        private final List<Runnable> body = new ArrayList<>();
        private final List<Runnable> after = new ArrayList<>();
        private int values;
        private int sums;
        private Code code;

        /** Starts a loop over {@code n} elements of float64 when {@code dbl}, else float32. */
        Builder(boolean dbl, int n) {
            this.dbl = dbl;
            this.n = n;
        }

        /** An operand: value {@code index} or array {@code index}. */
        record Operand(boolean array, int index) {
        }

        /** Declares the array in {@code slot} read by the loop ({@code length} 1 or n) and returns its operand. */
        Operand read(int slot, int length) {
            single.add(length == 1 && n != 1);
            slots.add(slot);
            return new Operand(true, arrays++);
        }

        /** Declares the array in {@code slot} written by the loop and returns its number. */
        int write(int slot) {
            single.add(false);
            slots.add(slot);
            return arrays++;
        }

        /** Returns the operand of value {@code v}. */
        static Operand value(int v) {
            return new Operand(false, v);
        }

        /** Adds {@code op(a)} and returns its value number. */
        int unary(UnaryOp op, Operand a) {
            int v = values++;
            body.add(() -> {
                load(a);
                switch (op) {
                    case NEG -> code.op(dbl ? 0x77 : 0x76);
                    case ABS -> code.invokeMath("abs", dbl ? "(D)D" : "(F)F");
                    case SIGN -> code.invokeMath("signum", dbl ? "(D)D" : "(F)F");
                    default -> {
                        String name = op == UnaryOp.SQRT ? "sqrt" : op == UnaryOp.EXP ? "exp"
                                : op == UnaryOp.LOG ? "log" : "tanh";
                        if (!dbl) {
                            code.op(0x8d); // f2d
                        }
                        code.invokeMath(name, "(D)D");
                        if (!dbl) {
                            code.op(0x90); // d2f
                        }
                    }
                }
                code.local(dbl ? 0x39 : 0x38, valueLocal(v));
            });
            return v;
        }

        /** Adds {@code op(a, b)} and returns its value number. */
        int binary(BinaryOp op, Operand a, Operand b) {
            int v = values++;
            body.add(() -> {
                load(a);
                load(b);
                switch (op) {
                    case ADD -> code.op(dbl ? 0x63 : 0x62);
                    case SUB -> code.op(dbl ? 0x67 : 0x66);
                    case MUL -> code.op(dbl ? 0x6b : 0x6a);
                    case DIV -> code.op(dbl ? 0x6f : 0x6e);
                    case MAXIMUM -> code.invokeMath("max", dbl ? "(DD)D" : "(FF)F");
                    default -> code.invokeMath("min", dbl ? "(DD)D" : "(FF)F");
                }
                code.local(dbl ? 0x39 : 0x38, valueLocal(v));
            });
            return v;
        }

        /** Adds {@code x + alpha·y} (alpha rounded to the dtype first) and returns its value number. */
        int addScaled(Operand x, double alpha, Operand y) {
            int v = values++;
            body.add(() -> {
                load(x);
                if (dbl) {
                    code.ldcDouble(alpha);
                } else {
                    code.ldcFloat((float) alpha);
                }
                load(y);
                code.op(dbl ? 0x6b : 0x6a);
                code.op(dbl ? 0x63 : 0x62);
                code.local(dbl ? 0x39 : 0x38, valueLocal(v));
            });
            return v;
        }

        /** Stores value {@code v} into array {@code out} at each element. */
        void store(int v, int out) {
            body.add(() -> {
                code.local(0x19, arrayLocal(out));
                code.local(0x15, indexLocal());
                code.local(dbl ? 0x18 : 0x17, valueLocal(v));
                code.op(dbl ? 0x52 : 0x51);
            });
        }

        /**
         * Sums operand {@code a} over the elements in order into element 0 of array {@code out}, divided by
         * the count when {@code mean}.
         */
        void sum(Operand a, int out, boolean mean) {
            int s = sums++;
            body.add(() -> {
                code.local(dbl ? 0x18 : 0x17, sumLocal(s));
                load(a);
                code.op(dbl ? 0x63 : 0x62);
                code.local(dbl ? 0x39 : 0x38, sumLocal(s));
            });
            after.add(() -> {
                code.local(0x19, arrayLocal(out));
                code.op(0x03); // iconst_0
                code.local(dbl ? 0x18 : 0x17, sumLocal(s));
                if (mean) {
                    code.ldcInt(n);
                    code.op(dbl ? 0x87 : 0x86); // i2d / i2f
                    code.op(dbl ? 0x6f : 0x6e);
                }
                code.op(dbl ? 0x52 : 0x51);
            });
        }

        private void load(Operand o) {
            if (!o.array()) {
                code.local(dbl ? 0x18 : 0x17, valueLocal(o.index()));
            } else if (single.get(o.index())) {
                code.local(dbl ? 0x18 : 0x17, scalarLocal(o.index()));
            } else {
                code.local(0x19, arrayLocal(o.index()));
                code.local(0x15, indexLocal());
                code.op(dbl ? 0x31 : 0x30);
            }
        }

        // Locals: 0 this, 1 the Object[]; then one per array, one scalar per array, the index, values, sums.
        private int width() {
            return dbl ? 2 : 1;
        }

        private int arrayLocal(int a) {
            return 2 + a;
        }

        private int scalarLocal(int a) {
            return 2 + arrays + a * width();
        }

        private int indexLocal() {
            return 2 + arrays + arrays * width();
        }

        private int valueLocal(int v) {
            return indexLocal() + 1 + v * width();
        }

        private int sumLocal(int s) {
            return valueLocal(values) + s * width();
        }

        /** Generates, loads and returns the kernel. */
        ScratchFusedKernel build() {
            code = new Code();
            for (int a = 0; a < arrays; a++) {
                code.op(0x2b); // aload_1
                code.ldcInt(slots.get(a));
                code.op(0x32); // aaload
                code.checkcast(ARRAY);
                code.getfield(ARRAY, dbl ? "d" : "f", dbl ? "[D" : "[F");
                code.local(0x3a, arrayLocal(a));
                if (single.get(a)) {
                    code.local(0x19, arrayLocal(a));
                    code.op(0x03);
                    code.op(dbl ? 0x31 : 0x30);
                    code.local(dbl ? 0x39 : 0x38, scalarLocal(a));
                }
            }
            for (int s = 0; s < sums; s++) {
                code.op(dbl ? 0x0e : 0x0b); // 0.0
                code.local(dbl ? 0x39 : 0x38, sumLocal(s));
            }
            code.op(0x03);
            code.local(0x36, indexLocal());
            int loop = code.size();
            code.local(0x15, indexLocal());
            code.ldcInt(n);
            int exit = code.branch(0xa2); // if_icmpge
            body.forEach(Runnable::run);
            code.iinc(indexLocal());
            code.jump(0xa7, loop); // goto
            code.patch(exit);
            after.forEach(Runnable::run);
            code.op(0xb1); // return
            int maxLocals = sumLocal(sums);
            try {
                byte[] bytes = code.classFile(maxLocals);
                MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(bytes, true);
                return (ScratchFusedKernel) lookup.findConstructor(lookup.lookupClass(),
                        MethodType.methodType(void.class)).invoke();
            } catch (Throwable e) {
                throw new IllegalStateException("scratch backend: could not generate the fused kernel of a "
                        + "captured step: " + e, e);
            }
        }
    }

    /** A method body and the constant pool of the class around it. */
    final class Code {

        private static final String SELF = "io/polygrad/scratch/ScratchFusedKernel$Loop";
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ByteArrayOutputStream pool = new ByteArrayOutputStream();
        private final DataOutputStream cp = new DataOutputStream(pool);
        private final Map<String, Integer> entries = new HashMap<>();
        private int poolCount = 1;

        int size() {
            return bytes.size();
        }

        void op(int opcode) {
            bytes.write(opcode);
        }

        private void u2(int v) {
            bytes.write(v >>> 8);
            bytes.write(v);
        }

        /** Emits a local-variable instruction ({@code wide} past local 255). */
        void local(int opcode, int index) {
            if (index > 255) {
                op(0xc4);
                op(opcode);
                u2(index);
            } else {
                op(opcode);
                op(index);
            }
        }

        void iinc(int index) {
            op(0xc4);
            op(0x84);
            u2(index);
            u2(1);
        }

        void ldcInt(int v) {
            if (v >= -1 && v <= 5) {
                op(0x03 + v);
            } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
                op(0x10);
                op(v);
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                op(0x11);
                u2(v);
            } else {
                op(0x13);
                u2(constant("I" + v, 3, out -> out.writeInt(v), 1));
            }
        }

        void ldcFloat(float v) {
            int bits = Float.floatToRawIntBits(v);
            op(0x13);
            u2(constant("F" + bits, 4, out -> out.writeInt(bits), 1));
        }

        void ldcDouble(double v) {
            long bits = Double.doubleToRawLongBits(v);
            op(0x14);
            u2(constant("D" + bits, 6, out -> out.writeLong(bits), 2));
        }

        void checkcast(String type) {
            op(0xc0);
            u2(classRef(type));
        }

        void getfield(String owner, String name, String descriptor) {
            op(0xb4);
            u2(memberRef(9, owner, name, descriptor));
        }

        void invokeMath(String name, String descriptor) {
            op(0xb8);
            u2(methodRef("java/lang/Math", name, descriptor));
        }

        /** Emits a forward branch and returns where its offset is to be patched. */
        int branch(int opcode) {
            int at = size();
            op(opcode);
            u2(0);
            return at;
        }

        /** Points the branch emitted at {@code at} to here. */
        void patch(int at) {
            byte[] b = bytes.toByteArray();
            int offset = size() - at;
            b[at + 1] = (byte) (offset >>> 8);
            b[at + 2] = (byte) offset;
            bytes.reset();
            bytes.writeBytes(b);
        }

        void jump(int opcode, int target) {
            int at = size();
            op(opcode);
            u2(target - at);
        }

        private interface Writer {
            void write(DataOutputStream out) throws IOException;
        }

        private int constant(String key, int tag, Writer value, int slots) {
            Integer known = entries.get(key);
            if (known != null) {
                return known;
            }
            try {
                cp.writeByte(tag);
                value.write(cp);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            int index = poolCount;
            poolCount += slots;
            entries.put(key, index);
            return index;
        }

        private int utf8(String s) {
            return constant("U" + s, 1, out -> out.writeUTF(s), 1);
        }

        private int classRef(String name) {
            int n = utf8(name);
            return constant("C" + name, 7, out -> out.writeShort(n), 1);
        }

        private int methodRef(String owner, String name, String descriptor) {
            return memberRef(10, owner, name, descriptor);
        }

        private int memberRef(int tag, String owner, String name, String descriptor) {
            int c = classRef(owner);
            int nm = utf8(name);
            int d = utf8(descriptor);
            int nt = constant("N" + name + descriptor, 12, out -> {
                out.writeShort(nm);
                out.writeShort(d);
            }, 1);
            return constant("M" + tag + owner + "." + name + descriptor, tag, out -> {
                out.writeShort(c);
                out.writeShort(nt);
            }, 1);
        }

        /** Returns the class file: a constructor and {@code run(Object[])} with this body. */
        byte[] classFile(int maxLocals) throws IOException {
            byte[] runCode = bytes.toByteArray();
            int self = classRef(SELF);
            int object = classRef("java/lang/Object");
            int kernel = classRef("io/polygrad/scratch/ScratchFusedKernel");
            int init = methodRef("java/lang/Object", "<init>", "()V");
            int initName = utf8("<init>");
            int voidDesc = utf8("()V");
            int runName = utf8("run");
            int runDesc = utf8("([Lio/polygrad/spi/BackendArray;)V");
            int codeName = utf8("Code");
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(file);
            out.writeInt(0xCAFEBABE);
            out.writeShort(0);
            out.writeShort(49); // Java 5: verified by type inference, no stack map frames needed
            out.writeShort(poolCount);
            out.write(pool.toByteArray());
            out.writeShort(0x0031); // public final super
            out.writeShort(self);
            out.writeShort(object);
            out.writeShort(1);
            out.writeShort(kernel);
            out.writeShort(0); // fields
            out.writeShort(2); // methods
            byte[] initCode = {0x2a, (byte) 0xb7, (byte) (init >>> 8), (byte) init, (byte) 0xb1};
            method(out, initName, voidDesc, codeName, 1, 1, initCode);
            method(out, runName, runDesc, codeName, 8, maxLocals, runCode);
            out.writeShort(0); // attributes
            return file.toByteArray();
        }

        private static void method(DataOutputStream out, int name, int descriptor, int codeName, int maxStack,
                int maxLocals, byte[] code) throws IOException {
            out.writeShort(0x0001);
            out.writeShort(name);
            out.writeShort(descriptor);
            out.writeShort(1);
            out.writeShort(codeName);
            out.writeInt(12 + code.length);
            out.writeShort(maxStack);
            out.writeShort(maxLocals);
            out.writeInt(code.length);
            out.write(code);
            out.writeShort(0);
            out.writeShort(0);
        }
    }
}
