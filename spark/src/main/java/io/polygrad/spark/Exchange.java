package io.polygrad.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.apache.spark.BarrierTaskContext;

/**
 * The all-gather of one barrier stage's tasks: every task gives a message and receives every task's
 * message, ordered by task; and the gather, in which only task 0 receives them (the replicas' optimizer
 * states for a local SGD checkpoint).
 */
abstract class Exchange implements AutoCloseable {

    /** Returns every task's message, in task order, after contributing {@code mine}. */
    abstract byte[][] allGather(byte[] mine);

    /**
     * Returns, on task 0, every task's message in task order after contributing {@code mine}; on the other
     * tasks {@code null} once their message is sent (they do not wait for task 0).
     */
    abstract byte[][] gather(byte[] mine);

    /** Returns the bytes this task has sent so far. */
    abstract long bytesSent();

    @Override
    public void close() {
    }

    /** Returns the exchange of {@code kind} among the tasks of {@code ctx}. */
    static Exchange open(SparkTrainer.Transport kind, BarrierTaskContext ctx, int timeoutMillis) {
        return kind == SparkTrainer.Transport.SPARK_ALL_GATHER ? new SparkAllGather(ctx) : Hub.open(ctx, timeoutMillis);
    }

    /**
     * Spark's own {@link BarrierTaskContext#allGather}: strings through the driver's barrier coordinator.
     * Spark polls the coordinator's reply once a second, so every call waits up to a second.
     */
    static final class SparkAllGather extends Exchange {
        private final BarrierTaskContext ctx;
        private long sent;

        SparkAllGather(BarrierTaskContext ctx) {
            this.ctx = ctx;
        }

        @Override
        byte[][] allGather(byte[] mine) {
            String text = java.util.Base64.getEncoder().encodeToString(mine);
            sent += text.length();
            String[] all = ctx.allGather(text);
            byte[][] out = new byte[all.length][];
            for (int i = 0; i < all.length; i++) {
                out[i] = java.util.Base64.getDecoder().decode(all[i]);
            }
            return out;
        }

        @Override
        byte[][] gather(byte[] mine) {
            byte[][] all = allGather(mine);
            return ctx.partitionId() == 0 ? all : null;
        }

        @Override
        long bytesSent() {
            return sent;
        }
    }

    /**
     * A TCP hub on task 0: the other tasks connect to it (its address is shared once with Spark's
     * all-gather), send their message each call and receive all messages back. Only the stage's own
     * tasks take part; a task that fails closes its socket, so its peers fail instead of waiting.
     */
    static final class Hub extends Exchange {
        private final int rank;
        private final Socket[] peers;
        private final DataInputStream[] in;
        private final DataOutputStream[] out;
        private final ServerSocket server;
        private long sent;

        private Hub(int rank, int tasks, ServerSocket server) {
            this.rank = rank;
            this.peers = new Socket[tasks];
            this.in = new DataInputStream[tasks];
            this.out = new DataOutputStream[tasks];
            this.server = server;
        }

        static Hub open(BarrierTaskContext ctx, int timeoutMillis) {
            int rank = ctx.partitionId();
            int tasks = ctx.getTaskInfos().length;
            try {
                ServerSocket server = null;
                String address = "";
                if (rank == 0) {
                    // a task's address is "host:port" of its executor; the hub listens on that host
                    String executor = ctx.getTaskInfos()[0].address();
                    int colon = executor.lastIndexOf(':');
                    String name = colon > 0 ? executor.substring(0, colon) : executor;
                    InetAddress host = InetAddress.getByName(name.replace("[", "").replace("]", ""));
                    server = new ServerSocket();
                    server.bind(new InetSocketAddress(host, 0), tasks);
                    server.setSoTimeout(timeoutMillis);
                    address = host.getHostAddress() + " " + server.getLocalPort();
                }
                String[] all = ctx.allGather(address);
                Hub hub = new Hub(rank, tasks, server);
                try {
                    if (rank == 0) {
                        for (int i = 1; i < tasks; i++) {
                            Socket s = server.accept();
                            s.setSoTimeout(timeoutMillis);
                            s.setTcpNoDelay(true);
                            DataInputStream din = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                            int peer = din.readInt();
                            hub.peers[peer] = s;
                            hub.in[peer] = din;
                            hub.out[peer] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                        }
                    } else {
                        String[] hostPort = all[0].split(" ");
                        Socket s = new Socket();
                        s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), timeoutMillis);
                        s.setSoTimeout(timeoutMillis);
                        s.setTcpNoDelay(true);
                        hub.peers[0] = s;
                        hub.in[0] = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                        hub.out[0] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
                        hub.out[0].writeInt(rank);
                        hub.out[0].flush();
                    }
                } catch (IOException | RuntimeException e) {
                    hub.close();
                    throw e;
                }
                return hub;
            } catch (IOException e) {
                throw new UncheckedIOException("Task " + rank + " could not join the gradient exchange", e);
            }
        }

        @Override
        byte[][] allGather(byte[] mine) {
            int tasks = peers.length;
            byte[][] all = new byte[tasks][];
            try {
                if (rank == 0) {
                    all[0] = mine;
                    for (int i = 1; i < tasks; i++) {
                        all[i] = read(in[i]);
                    }
                    for (int i = 1; i < tasks; i++) {
                        for (int j = 0; j < tasks; j++) {
                            if (j != i) {
                                write(out[i], all[j]);
                            }
                        }
                        out[i].flush();
                    }
                } else {
                    write(out[0], mine);
                    out[0].flush();
                    for (int j = 0; j < tasks; j++) {
                        all[j] = j == rank ? mine : read(in[0]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Task " + rank + " lost the gradient exchange (another task failed "
                        + "or timed out)", e);
            }
            return all;
        }

        @Override
        byte[][] gather(byte[] mine) {
            try {
                if (rank == 0) {
                    byte[][] all = new byte[peers.length][];
                    all[0] = mine;
                    for (int i = 1; i < peers.length; i++) {
                        all[i] = read(in[i]);
                    }
                    return all;
                }
                write(out[0], mine);
                out[0].flush();
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("Task " + rank + " lost the exchange with task 0 (another task failed "
                        + "or timed out)", e);
            }
        }

        private void write(DataOutputStream o, byte[] b) throws IOException {
            o.writeInt(b.length);
            o.write(b);
            sent += 4L + b.length;
        }

        private static byte[] read(DataInputStream i) throws IOException {
            byte[] b = new byte[i.readInt()];
            i.readFully(b);
            return b;
        }

        @Override
        long bytesSent() {
            return sent;
        }

        @Override
        public void close() {
            for (Socket s : peers) {
                closeQuietly(s);
            }
            closeQuietly(server);
        }

        private static void closeQuietly(AutoCloseable c) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing after use or failure; nothing to report
                }
            }
        }
    }
}
