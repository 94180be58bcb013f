package dev.engineionio.bench.load;

import dev.engineionio.EngineServer;
import dev.engineionio.socketio.SocketIoServer;
import java.time.Duration;

/**
 * Our Socket.IO echo server for the Socket.IO load runs ({@code LoadMain ws --socketio}, {@code idle --socketio}):
 * path {@code /socket.io/}, every {@code echo} event back to its sender as an {@code echo} event with the same
 * arguments (what {@code benchmarks/node/sio-echo-server.js} does on npm socket.io 4.8). Listens on 127.0.0.1 and prints
 * {@code LISTENING <port> <pid>} when ready.
 *
 * <p>With {@code --room-broadcast SESSIONS BROADCASTS} every socket joins the room {@code room}, and once SESSIONS
 * sockets are connected (and 2 s have passed) one thread runs a bounded loop of BROADCASTS broadcasts
 * {@code io.to("room").emit("tick", i)}, each encoded once for the whole room, and prints how long the loop took to
 * hand them to the sessions; {@code LoadMain idle --socketio --sink} counts the deliveries.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.SioEchoServer PORT [--pingInterval MS]
 *      [--pingTimeout MS] [--room-broadcast SESSIONS BROADCASTS]
 * </pre>
 *
 * <p>Threads: main starts the server and parks; the handlers run on the event loops.
 */
public final class SioEchoServer {

    private SioEchoServer() {
    }

    private static void broadcastLoop(SocketIoServer io, int n) {
        try {
            Thread.sleep(2000); // the last connects settle (a tool, not a test)
        } catch (InterruptedException e) {
            return;
        }
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        int sockets = io.sockets().sockets().size();
        long a0 = mx.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            io.to("room").emit("tick", i);
        }
        long t1 = System.nanoTime();
        long a1 = mx.getThreadAllocatedBytes(tid);
        System.out.printf(java.util.Locale.ROOT, "BROADCAST %d x %d sockets handed to the sessions in %.3f s; "
                + "allocated on this thread: %.1f B per delivery%n", n, sockets, (t1 - t0) / 1e9,
                (a1 - a0) / (double) ((long) n * sockets));
        System.out.flush();
    }

    /**
     * Starts the server.
     *
     * @param args the port, then options
     * @throws Exception if it cannot start
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pingInterval = 25_000;
        long pingTimeout = 20_000;
        int roomSessions = 0;
        int broadcasts = 0;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--pingInterval" -> pingInterval = Long.parseLong(args[i + 1]);
                case "--pingTimeout" -> pingTimeout = Long.parseLong(args[i + 1]);
                case "--room-broadcast" -> {
                    roomSessions = Integer.parseInt(args[i + 1]);
                    broadcasts = Integer.parseInt(args[i + 2]);
                    if (roomSessions < 1 || broadcasts < 1 || broadcasts > 10_000) {
                        throw new IllegalArgumentException("--room-broadcast SESSIONS>=1 BROADCASTS in 1..10000");
                    }
                    i++;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SocketIoServer io = SocketIoServer.builder(EngineServer.builder().listen("127.0.0.1", port)
                        .pingInterval(Duration.ofMillis(pingInterval)).pingTimeout(Duration.ofMillis(pingTimeout)))
                .build();
        io.onConnection(s -> s.on("echo", (a, ack) -> s.emit("echo", a.toArray())));
        if (roomSessions > 0) {
            int sessions = roomSessions;
            int n = broadcasts;
            java.util.concurrent.atomic.AtomicInteger connected = new java.util.concurrent.atomic.AtomicInteger();
            io.onConnection(s -> {
                s.join("room");
                if (connected.incrementAndGet() == sessions) {
                    Thread t = new Thread(() -> broadcastLoop(io, n), "room-broadcast");
                    t.setDaemon(true);
                    t.start();
                }
            });
        }
        io.start();
        Runtime.getRuntime().addShutdownHook(new Thread(io::close));
        System.out.println("LISTENING " + io.port() + " " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join();
    }
}
