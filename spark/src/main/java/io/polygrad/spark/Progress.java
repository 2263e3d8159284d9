package io.polygrad.spark;

import io.polygrad.train.StepEvent;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live reports of a training stage: task 0 connects to a server on the driver and sends every
 * step's loss and, when an {@link EpochListener} is set, every epoch's parameters and buffers; the driver passes
 * them to the listeners in order. A retried stage connects again and replays the same trajectory, so the
 * server forwards only steps and epochs it has not forwarded yet.
 */
final class Progress {

    private static final byte STEP = 1;
    private static final byte EPOCH = 2;

    private Progress() {
    }

    /** Where task 0 reports to, and whether it sends the parameters of every epoch. */
    record Address(String host, int port, boolean epochs) implements Serializable {
    }

    /** The driver's end: accepts task 0's connections and forwards what they report. */
    static final class Server implements AutoCloseable {
        private final ServerSocket socket;
        private final StepListener steps;
        private final EpochListener epochs;
        private final Thread acceptor;
        private final List<Thread> readers = new ArrayList<>();
        private final List<Socket> connections = new ArrayList<>();
        private int lastStep;
        private int lastEpoch = -1;
        private volatile boolean closed;

        private Server(ServerSocket socket, StepListener steps, EpochListener epochs) {
            this.socket = socket;
            this.steps = steps;
            this.epochs = epochs;
            this.acceptor = new Thread(this::accept, "polygrad-spark-progress");
            acceptor.setDaemon(true);
        }

        /** Opens a server on {@code host} (the driver's address) forwarding to the listeners (either may be null). */
        static Server open(String host, StepListener steps, EpochListener epochs, int firstStep) throws IOException {
            ServerSocket socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 4);
            Server server = new Server(socket, steps, epochs);
            server.lastStep = firstStep;
            server.acceptor.start();
            return server;
        }

        Address address(boolean sendEpochs) {
            return new Address(socket.getInetAddress().getHostAddress(), socket.getLocalPort(), sendEpochs);
        }

        /** Returns the last step forwarded. */
        synchronized int lastStep() {
            return lastStep;
        }

        private void accept() {
            while (!closed) {
                try {
                    Socket s = socket.accept();
                    synchronized (readers) {
                        connections.add(s);
                    }
                    Thread reader = new Thread(() -> read(s), "polygrad-spark-progress-reader");
                    reader.setDaemon(true);
                    synchronized (readers) {
                        readers.add(reader);
                    }
                    reader.start();
                } catch (IOException e) {
                    return;   // closed
                }
            }
        }

        private void read(Socket s) {
            try (s; DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()))) {
                while (true) {
                    byte kind = in.readByte();
                    if (kind == STEP) {
                        StepEvent e = new StepEvent(in.readInt(), in.readInt(), in.readDouble(), in.readDouble());
                        forward(e);
                    } else {
                        int epoch = in.readInt();
                        int step = in.readInt();
                        double mean = in.readDouble();
                        Map<String, int[]> shapes = new LinkedHashMap<>();
                        Map<String, double[]> parameters = readTensors(in, shapes);
                        Map<String, double[]> buffers = readTensors(in, shapes);
                        forward(new EpochEvent(epoch, step, mean, parameters, buffers, shapes));
                    }
                }
            } catch (EOFException e) {
                // task 0 finished or failed; a retry connects again
            } catch (IOException e) {
                // the same: reports are best effort, the result carries every step's loss
            }
        }

        /** Reads a count and that many named tensors; returns their values and puts their shapes into {@code shapes}. */
        private static Map<String, double[]> readTensors(DataInputStream in, Map<String, int[]> shapes)
                throws IOException {
            int count = in.readInt();
            Map<String, double[]> values = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int[] shape = new int[in.readInt()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readInt();
                }
                double[] v = new double[in.readInt()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = in.readDouble();
                }
                values.put(name, v);
                shapes.put(name, shape);
            }
            return values;
        }

        private synchronized void forward(StepEvent e) {
            if (e.step() > lastStep) {
                lastStep = e.step();
                if (steps != null) {
                    steps.onStep(e);
                }
            }
        }

        private synchronized void forward(EpochEvent e) {
            if (e.epoch() > lastEpoch) {
                lastEpoch = e.epoch();
                if (epochs != null) {
                    epochs.onEpoch(e);
                }
            }
        }

        /** Waits up to {@code millis} for the connections to end, then stops accepting. */
        void finish(long millis) {
            long deadline = System.currentTimeMillis() + millis;
            List<Thread> current;
            synchronized (readers) {
                current = new ArrayList<>(readers);
            }
            for (Thread t : current) {
                try {
                    t.join(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            close();
        }

        /** Stops accepting and closes the connections still open (a stalled attempt's). */
        @Override
        public void close() {
            closed = true;
            List<AutoCloseable> open = new ArrayList<>();
            open.add(socket);
            synchronized (readers) {
                open.addAll(connections);
            }
            for (AutoCloseable c : open) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing
                }
            }
        }
    }

    /** Task 0's end; a client that could not connect reports nothing. */
    static final class Client implements AutoCloseable {
        private final Socket socket;
        private DataOutputStream out;

        private Client(Socket socket, DataOutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        static Client connect(Address address, int timeoutMillis) {
            if (address == null) {
                return new Client(null, null);
            }
            try {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(address.host(), address.port()), timeoutMillis);
                s.setTcpNoDelay(true);
                return new Client(s, new DataOutputStream(new BufferedOutputStream(s.getOutputStream())));
            } catch (IOException e) {
                System.err.println("polygrad-spark: task 0 cannot report progress to the driver at " + address.host()
                        + ":" + address.port() + " (" + e + "); the losses come with the result");
                return new Client(null, null);
            }
        }

        void step(int step, int epoch, double loss, double lr) {
            if (out == null) {
                return;
            }
            try {
                out.writeByte(STEP);
                out.writeInt(step);
                out.writeInt(epoch);
                out.writeDouble(loss);
                out.writeDouble(lr);
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        void epoch(int epoch, int step, double meanLoss, TaskResult.Tensors parameters, TaskResult.Tensors buffers) {
            if (out == null) {
                return;
            }
            try {
                out.writeByte(EPOCH);
                out.writeInt(epoch);
                out.writeInt(step);
                out.writeDouble(meanLoss);
                writeTensors(parameters);
                writeTensors(buffers);
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        private void writeTensors(TaskResult.Tensors tensors) throws IOException {
            out.writeInt(tensors.names().length);
            for (int i = 0; i < tensors.names().length; i++) {
                out.writeUTF(tensors.names()[i]);
                out.writeInt(tensors.shapes()[i].length);
                for (int d : tensors.shapes()[i]) {
                    out.writeInt(d);
                }
                out.writeInt(tensors.values()[i].length);
                for (double v : tensors.values()[i]) {
                    out.writeDouble(v);
                }
            }
        }

        boolean wantsEpochs(Address address) {
            return out != null && address.epochs();
        }

        @Override
        public void close() {
            out = null;
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }
}
