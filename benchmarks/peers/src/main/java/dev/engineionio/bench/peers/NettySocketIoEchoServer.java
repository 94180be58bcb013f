package dev.engineionio.bench.peers;

import com.corundumstudio.socketio.Configuration;
import com.corundumstudio.socketio.SocketIOServer;

/**
 * Benchmark peer: a Socket.IO echo server on <a href="https://github.com/mrniko/netty-socketio">netty-socketio</a>
 * 2.0.14 (Netty 4.1). netty-socketio speaks Socket.IO only (its own Engine.IO layer underneath cannot be used
 * alone), so the echo is a Socket.IO event: every {@code echo} event on the default namespace {@code /} is sent back
 * to its sender as an {@code echo} event with the same argument ({@code 42["echo","..."]} in, the same out). The load
 * client connects to the namespace ({@code 40}) first ({@code LoadMain --socketio}). Only text is benchmarked: a binary
 * argument (a Socket.IO attachment) arrives as a {@code byte[]} and netty-socketio 2.0.14 sends it back as base64 text
 * in the JSON, not as an attachment.
 *
 * <p>Usage: {@code java -cp benchmarks/peers/target/peers.jar dev.engineionio.bench.peers.NettySocketIoEchoServer PORT
 * [--pingInterval MS] [--pingTimeout MS]} ({@link PeerArgs}); serves {@code http://127.0.0.1:PORT/socket.io/} (its
 * default path), prints one ready line {@code netty-socketio echo listening pid=... port=... version=...}, runs until
 * the process is stopped (SIGTERM: a shutdown hook stops it); exits with status 2 when it cannot start (the port in
 * use). Everything else is netty-socketio's defaults (boss and
 * worker event loops sized by Netty, NIO transport, 64 KiB frame and HTTP content limits; see its
 * {@link Configuration}). Logging: SLF4J no-op.
 *
 * <p>Thread: {@link #start} on any thread; the echo listener runs on Netty's event loops. Not part of the
 * engineio-nio library: benchmark code only.
 */
public final class NettySocketIoEchoServer {

    /** The netty-socketio version this module is built with (see the module's pom). */
    public static final String VERSION = "netty-socketio 2.0.14";

    private final SocketIOServer server;

    private NettySocketIoEchoServer(SocketIOServer server) {
        this.server = server;
    }

    public static void main(String[] args) {
        PeerArgs a;
        try {
            a = PeerArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("NettySocketIoEchoServer: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (a.port == 0) {
            System.err.println("NettySocketIoEchoServer: give a port (netty-socketio does not report an ephemeral one)");
            System.exit(1);
            return;
        }
        NettySocketIoEchoServer s;
        try {
            s = start(a);
        } catch (Exception e) { // the port in use, typically: exit (Netty's event loops would keep the JVM alive)
            System.err.println("NettySocketIoEchoServer: cannot start: " + e);
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop"));
        System.out.println("netty-socketio echo listening pid=" + ProcessHandle.current().pid() + " port=" + a.port
                + " version=" + VERSION);
    }

    /** Starts a server on 127.0.0.1 as the arguments say (a real port: netty-socketio binds it itself). */
    public static NettySocketIoEchoServer start(PeerArgs a) {
        Configuration config = new Configuration();
        config.setHostname("127.0.0.1");
        config.setPort(a.port);
        config.setPingInterval(a.pingIntervalMs);
        config.setPingTimeout(a.pingTimeoutMs);
        SocketIOServer server = new SocketIOServer(config);
        server.addEventListener("echo", Object.class, (client, data, ack) -> client.sendEvent("echo", data));
        server.start();
        return new NettySocketIoEchoServer(server);
    }

    /** Stops the server and its event loops. */
    public void stop() {
        server.stop();
    }
}
