package dev.engineionio.examples;

import dev.engineionio.EngineServer;
import dev.engineionio.socketio.SocketIoServer;
import dev.engineionio.socketio.SocketIoSocket;
import java.time.Duration;

/**
 * The Socket.IO echo server, configured as the official socket.io-protocol test suite expects: path
 * {@code /socket.io/}, {@code pingInterval} 300, {@code pingTimeout} 200, {@code maxHttpBufferSize} 1e6,
 * {@code connectTimeout} 1000, CORS for any origin. On a connection to {@code /} or {@code /custom} it emits
 * {@code auth} with the handshake's auth payload; {@code message} is answered by {@code message-back} with the same
 * arguments, {@code message-with-ack} is acknowledged with the same arguments. Listens on 127.0.0.1 and prints
 * {@code LISTENING <port> <pid>} when ready.
 *
 * <pre>
 * java -cp examples/target/examples.jar dev.engineionio.examples.SocketIoEchoServer [port] [--eio3]
 * </pre>
 */
public final class SocketIoEchoServer {

    /** Time the shutdown hook gives sessions and connections to finish. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private SocketIoEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = 3000;
        boolean eio3 = false;
        for (String a : args) {
            if (a.equals("--eio3")) {
                eio3 = true;
            } else {
                port = Integer.parseInt(a);
            }
        }
        SocketIoServer io = build(port, eio3).start();
        // On SIGTERM or Ctrl-C: stop accepting, close every session after what it still has queued, give them
        // SHUTDOWN_GRACE to finish, then cut what is left.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> io.close(SHUTDOWN_GRACE)));
        System.out.println("LISTENING " + io.port() + " " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * The server, not started.
     *
     * @param port the port (0: any free port)
     * @param eio3 whether socket.io-client 2 (Engine.IO 3) may connect
     * @return the server
     */
    public static SocketIoServer build(int port, boolean eio3) {
        SocketIoServer io = SocketIoServer.builder(EngineServer.builder()
                        .listen("127.0.0.1", port)
                        .pingInterval(Duration.ofMillis(300))
                        .pingTimeout(Duration.ofMillis(200))
                        .maxHttpBufferSize(1_000_000)
                        .allowEIO3(eio3)
                        .corsAnyOrigin())
                .connectTimeout(Duration.ofMillis(1000))
                .build();
        io.of("/").onConnection(SocketIoEchoServer::echo);
        io.of("/custom").onConnection(SocketIoEchoServer::echo);
        return io;
    }

    private static void echo(SocketIoSocket socket) {
        socket.emit("auth", socket.handshake().auth());
        socket.on("message", (a, ack) -> socket.emit("message-back", a.toArray()));
        socket.on("message-with-ack", (a, ack) -> ack.send(a.toArray()));
    }
}
