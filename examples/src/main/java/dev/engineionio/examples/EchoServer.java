package dev.engineionio.examples;

import dev.engineionio.EngineServer;
import dev.engineionio.PerMessageDeflate;
import dev.engineionio.TlsContext;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Engine.IO echo server: every message (text or binary) is sent back unchanged, on path {@code /engine.io/}, with
 * {@code pingInterval} 300, {@code pingTimeout} 200, {@code maxHttpBufferSize} 1e6, CORS for any origin and
 * {@code allowEIO3}. Listens on 127.0.0.1 and ::1 (::1 is skipped with a note when unavailable) and prints
 * {@code LISTENING <port> <pid>} when ready. {@code --perMessageDeflate} turns WebSocket compression on with threshold
 * 0 (every message compressed, for clients that offer permessage-deflate). With {@code --tls <pkcs12-file> <password>}
 * the same echo is served over TLS (https and wss) with that keystore's first key, see {@link TlsContext}.
 *
 * <pre>
 * java -cp examples/target/examples.jar dev.engineionio.examples.EchoServer [port] [--pingInterval N] [--pingTimeout N]
 *     [--perMessageDeflate] [--tls &lt;pkcs12-file&gt; &lt;password&gt;]
 * </pre>
 */
public final class EchoServer {

    /** Time the shutdown hook gives sessions and connections to finish. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private EchoServer() {
    }

    static final String USAGE = "java -cp examples/target/examples.jar dev.engineionio.examples.EchoServer [port]"
            + " [--pingInterval N] [--pingTimeout N] [--perMessageDeflate] [--tls <pkcs12-file> <password>]";

    public static void main(String[] args) throws Exception {
        int port = 3000;
        long pingInterval = 300;
        long pingTimeout = 200;
        boolean deflate = false;
        Path tlsFile = null;
        char[] tlsPassword = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--pingInterval":
                        pingInterval = Cli.millis(args[i], args, ++i);
                        break;
                    case "--pingTimeout":
                        pingTimeout = Cli.millis(args[i], args, ++i);
                        break;
                    case "--perMessageDeflate":
                        deflate = true;
                        break;
                    case "--tls":
                        if (i + 2 >= args.length) {
                            throw new Cli.UsageError("--tls takes <pkcs12-file> <password>");
                        }
                        tlsFile = Path.of(args[i + 1]);
                        tlsPassword = args[i + 2].toCharArray();
                        i += 2;
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
        TlsContext tls = tlsFile == null ? null : TlsContext.fromPkcs12(tlsFile, tlsPassword);
        EngineServer server = build(port, pingInterval, pingTimeout, true, deflate, tls);
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            System.err.println("listening on 127.0.0.1 and ::1 failed (" + e.getMessage()
                    + "); retrying on 127.0.0.1 only");
            server = build(port, pingInterval, pingTimeout, false, deflate, tls);
            try {
                server.start();
            } catch (IOException again) {
                server.close();
                Cli.exitCannotListen(again, null);
                return;
            }
        }
        EngineServer s = server;
        // On SIGTERM or Ctrl-C: stop accepting, close every session after what it still has queued, give them
        // SHUTDOWN_GRACE to finish, then cut what is left.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> s.close(SHUTDOWN_GRACE)));
        System.out.println("LISTENING " + server.port() + " " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.currentThread().join();
    }

    static EngineServer build(int port, long pingInterval, long pingTimeout, boolean ipv6) {
        return build(port, pingInterval, pingTimeout, ipv6, false, null);
    }

    /** The echo server (not started), with compression when asked, over TLS when {@code tls} is not null. */
    static EngineServer build(int port, long pingInterval, long pingTimeout, boolean ipv6, boolean perMessageDeflate,
            TlsContext tls) {
        EngineServer.Builder b = EngineServer.builder();
        listen(b, "127.0.0.1", port, tls);
        b
                .pingInterval(Duration.ofMillis(pingInterval))
                .pingTimeout(Duration.ofMillis(pingTimeout))
                .maxHttpBufferSize(1_000_000)
                .corsAnyOrigin()
                .allowEIO3(true)
                .onConnection(socket -> socket
                        .onMessage(socket::send)
                        .onBinary(socket::send));
        if (perMessageDeflate) {
            b.perMessageDeflate(PerMessageDeflate.builder().threshold(0).build());
        }
        if (ipv6) {
            listen(b, "::1", port, tls);
        }
        return b.build();
    }

    private static void listen(EngineServer.Builder b, String host, int port, TlsContext tls) {
        if (tls == null) {
            b.listen(host, port);
        } else {
            b.listenTls(host, port, tls);
        }
    }
}
