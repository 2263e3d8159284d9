package io.polygrad;

import io.polygrad.spi.Backend;
import io.polygrad.spi.BackendArray;
import io.polygrad.spi.KernelProgram;
import io.polygrad.spi.Shapes;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records one run of a training step for {@link CapturedStep}: while it is {@linkplain #active active}
 * on a thread, {@link Engine#backend()} hands that thread a recording proxy of the backend, which logs
 * every call that makes an array (with its arguments, arrays as numbered slots) and passes it on, and
 * {@link Tensor} reports every tensor it reads, makes or changes in place. The step runs as it always
 * does; the recorder only watches.
 */
final class StepRecorder {

    /** The recorder of the capture in progress, or {@code null}; read on every {@link Engine#backend()} call. */
    static volatile StepRecorder active;

    private final Thread thread = Thread.currentThread();
    private final Map<Object, Object> proxies = new IdentityHashMap<>();

    /** Recording ids of arrays: every array the step read or made, in the order first seen. */
    private final Map<BackendArray, Integer> ids = new IdentityHashMap<>();
    /** The arrays by id, and whether a recorded call made them (else they are inputs). */
    final List<BackendArray> arrays = new ArrayList<>();
    final List<Boolean> made = new ArrayList<>();
    /** The shape and dtype of each array when first seen. */
    final List<int[]> shapes = new ArrayList<>();
    final List<DType> dtypes = new ArrayList<>();
    /** The calls, arguments holding recording ids as {@link KernelProgram.Slot}s. */
    final List<KernelProgram.Call> calls = new ArrayList<>();
    /** The first tensor each array was read through. */
    final Map<BackendArray, Tensor> readThrough = new IdentityHashMap<>();
    /** Every tensor the step touched, in order, and whether the step made it. */
    final Map<Tensor, Boolean> touched = new IdentityHashMap<>();
    final List<Tensor> touchedInOrder = new ArrayList<>();
    /** Each pre-existing tensor's gradient when the step first touched it. */
    final Map<Tensor, Tensor> gradAtFirstTouch = new IdentityHashMap<>();
    /** Why this step cannot be replayed, or {@code null}. */
    String problem;

    /** Returns {@code real}, or its recording proxy when this thread is the recording one. */
    Backend backendFor(Backend real) {
        if (Thread.currentThread() != thread) {
            return real;
        }
        return (Backend) proxies.computeIfAbsent(real, r -> proxy(Backend.class, r));
    }

    /** Notes that the step read {@code t}'s array {@code data}. */
    void read(Tensor t, BackendArray data) {
        if (Thread.currentThread() != thread) {
            return;
        }
        touch(t, false);
        readThrough.putIfAbsent(data, t);
    }

    /** Notes that the step made {@code t}. */
    void created(Tensor t) {
        if (Thread.currentThread() == thread) {
            touch(t, true);
        }
    }

    /** Notes that the step changed {@code t} in place. */
    void changed(Tensor t) {
        if (Thread.currentThread() == thread) {
            touch(t, false);
        }
    }

    private void touch(Tensor t, boolean made) {
        if (!touched.containsKey(t)) {
            touched.put(t, made);
            touchedInOrder.add(t);
            if (!made) {
                gradAtFirstTouch.put(t, t.grad);
            }
        }
    }

    /** Returns the recording id of slot {@code a}, giving an unseen array the next id as an input. */
    int idOf(BackendArray a) {
        Integer id = ids.get(a);
        if (id == null) {
            id = arrays.size();
            ids.put(a, id);
            arrays.add(a);
            made.add(false);
            shapes.add(a.shape().clone());
            dtypes.add(a.dtype());
        }
        return id;
    }

    /**
     * Gives {@code a}, a call's result, the next id; a null result (an optional gradient a kernel did not
     * compute, such as {@code conv2dBackward}'s) gets a slot of no shape and dtype that no call reads.
     */
    private int newId(BackendArray a) {
        int id = arrays.size();
        if (a != null) {
            ids.put(a, id);
        }
        arrays.add(a);
        made.add(true);
        shapes.add(a == null ? null : a.shape().clone());
        dtypes.add(a == null ? null : a.dtype());
        return id;
    }

    /** Returns the recording id of {@code a} if the step has seen it, else -1. */
    int knownId(BackendArray a) {
        Integer id = ids.get(a);
        return id == null ? -1 : id;
    }

    /**
     * Records a call of {@code check}, a static method that reads arrays only to decide whether the step
     * fails and returns nothing, so that a replay repeats it in its place. A thread other than the
     * recording one is ignored.
     */
    void recordCheck(Method check, Object... args) {
        if (Thread.currentThread() != thread) {
            return;
        }
        Object[] recorded = new Object[args.length];
        for (int i = 0; i < args.length; i++) {
            recorded[i] = encode(args[i]);
        }
        calls.add(new KernelProgram.Call(null, check, recorded, new int[0]));
    }

    private void problem(String why) {
        if (problem == null) {
            problem = why;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, Object target) {
        InvocationHandler handler = (p, method, args) -> handle(target, method, args == null ? new Object[0] : args);
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private Object handle(Object target, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return invoke(target, method, args);
        }
        Class<?> returns = method.getReturnType();
        boolean readsArrays = false;
        for (Object arg : args) {
            readsArrays |= arg instanceof BackendArray || arg instanceof BackendArray[];
        }
        if (returns == BackendArray.class || returns == BackendArray[].class) {
            Object[] recorded = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                recorded[i] = encode(args[i]);
            }
            Object result = invoke(target, method, args);
            int[] results;
            if (returns == BackendArray.class) {
                results = new int[] {newId((BackendArray) result)};
            } else {
                BackendArray[] many = (BackendArray[]) result;
                results = new int[many.length];
                for (int j = 0; j < many.length; j++) {
                    results[j] = newId(many[j]);
                }
            }
            calls.add(new KernelProgram.Call(target, method, recorded, results));
            return result;
        }
        if (returns == Optional.class) {
            Optional<?> family = (Optional<?>) invoke(target, method, args);
            Class<?> type = (Class<?>) ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[0];
            return family.map(k -> proxies.computeIfAbsent(k, real -> proxy(type, real)));
        }
        if (readsArrays) {
            problem("the step reads values back to Java (" + method.getName() + ", e.g. item() or toFloatArray())"
                    + " at backend call " + (calls.size() + 1) + "; a replay cannot reproduce what Java does with"
                    + " them: return the tensor from the step and read it after run()");
        }
        return invoke(target, method, args);
    }

    private Object encode(Object arg) {
        if (arg instanceof BackendArray a) {
            return new KernelProgram.Slot(idOf(a));
        }
        if (arg instanceof BackendArray[] many) {
            KernelProgram.Slot[] slots = new KernelProgram.Slot[many.length];
            for (int j = 0; j < many.length; j++) {
                slots[j] = new KernelProgram.Slot(idOf(many[j]));
            }
            return slots;
        }
        if (arg instanceof int[] v) {
            return v.clone();
        }
        if (arg instanceof long[] v) {
            return v.clone();
        }
        if (arg instanceof float[] v) {
            return v.clone();
        }
        if (arg instanceof double[] v) {
            return v.clone();
        }
        if (arg instanceof Object[] v) {
            return v.clone();
        }
        return arg;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Returns the array's shape and dtype for messages, e.g. {@code [20, 1] float32}. */
    static String describe(BackendArray a) {
        return Shapes.toString(a.shape()) + " " + a.dtype();
    }
}
