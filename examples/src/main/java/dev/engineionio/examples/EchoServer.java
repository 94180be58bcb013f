package dev.engineionio.examples;

import dev.engineionio.EngineServer;
import java.io.IOException;
import java.net.BindException;

/**
 * The Engine.IO echo server: every message (text or binary) is sent back unchanged, on path {@code /engine.io/}, with
 * {@code pingInterval} 300, {@code pingTimeout} 200, {@code maxHttpBufferSize} 1e6, CORS for any origin and
 * {@code allowEIO3}. Listens on 127.0.0.1 and ::1 (::1 is skipped with a note when unavailable) and prints
 * {@code LISTENING <port> <pid>} when ready.
 *
 * <pre>
 * java -cp examples/target/examples.jar dev.engineionio.examples.EchoServer [port] [--pingInterval N] [--pingTimeout N]
 * </pre>
 */
public final class EchoServer {

    private EchoServer() {
    }

    static final String USAGE = "java -cp examples/target/examples.jar dev.engineionio.examples.EchoServer [port]"
            + " [--pingInterval N] [--pingTimeout N]";

    public static void main(String[] args) throws Exception {
        int port = 3000;
        long pingInterval = 300;
        long pingTimeout = 200;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--pingInterval":
                        pingInterval = Cli.millis(args[i], args, ++i);
                        break;
                    case "--pingTimeout":
                        pingTimeout = Cli.millis(args[i], args, ++i);
                        break;
                    default:
                        port = Cli.port(args[i]);
                        break;
                }
            }
        } catch (Cli.UsageError e) {
            Cli.exitUsage(e, USAGE);
            return;
        }
        EngineServer server = build(port, pingInterval, pingTimeout, true);
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            System.err.println("listening on 127.0.0.1 and ::1 failed (" + e.getMessage()
                    + "); retrying on 127.0.0.1 only");
            server = build(port, pingInterval, pingTimeout, false);
            try {
                server.start();
            } catch (IOException again) {
                server.close();
                Cli.exitCannotListen(again, null);
                return;
            }
        }
        EngineServer s = server;
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        System.out.println("LISTENING " + server.port() + " " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join();
    }

    static EngineServer build(int port, long pingInterval, long pingTimeout, boolean ipv6) {
        EngineServer.Builder b = EngineServer.builder()
                .listen("127.0.0.1", port)
                .pingInterval(pingInterval)
                .pingTimeout(pingTimeout)
                .maxHttpBufferSize(1_000_000)
                .corsAnyOrigin()
                .allowEIO3(true)
                .onConnection(socket -> socket
                        .onMessage(socket::send)
                        .onBinary(socket::send));
        if (ipv6) {
            b.listen("::1", port);
        }
        return b.build();
    }
}
