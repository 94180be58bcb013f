package dev.engineionio.bench.peers;

import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoServerOptions;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.engineio.server.JettyWebSocketHandler;
import io.socket.engineio.server.parser.Packet;
import java.io.IOException;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.websocket.server.NativeWebSocketServletContainerInitializer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeFilter;

/**
 * Benchmark peer: an Engine.IO echo server on <a href="https://github.com/socketio/engine.io-server-java">
 * engine.io-server-java</a> (io.socket:engine.io-server 6.2.1 with its Jetty adapter engine.io-server-jetty 6.2.1 on
 * Jetty 9.4), set up as that project's documentation and tests do: one {@link EngineIoServer} behind an async-capable
 * servlet at {@code /engine.io/*} for polling, and Jetty's WebSocket upgrade filter handing each upgrade to a
 * {@link JettyWebSocketHandler}. Every message (text or binary) is sent back on the socket it came from.
 *
 * <p>Usage: {@code java -cp benchmarks/peers/target/peers.jar dev.engineionio.bench.peers.EngineIoJavaEchoServer PORT
 * [--pingInterval MS] [--pingTimeout MS]} ({@link PeerArgs}); binds 127.0.0.1 only, prints one ready line
 * {@code engine.io-server-java echo listening pid=... port=... version=...}, runs until the process is stopped (SIGTERM
 * runs Jetty's shutdown hook); exits with status 2 when it cannot start (the port in use). Everything else is the library's and Jetty's defaults (CORS on for any origin, Jetty's
 * default thread pool of at most 200 threads, 64 KiB WebSocket message limit). Logging: SLF4J no-op (Jetty logs
 * through SLF4J when it is present).
 *
 * <p>Thread: {@link #start} on any thread; the echo listeners run on Jetty's threads. Not part of the engineio-nio
 * library: benchmark code only.
 */
public final class EngineIoJavaEchoServer {

    /** The engine.io-server version this module is built with (see the module's pom). */
    public static final String VERSION = "engine.io-server 6.2.1 + engine.io-server-jetty 6.2.1, Jetty "
            + Server.getVersion();

    private final Server jetty;
    private final EngineIoServer engine;

    private EngineIoJavaEchoServer(Server jetty, EngineIoServer engine) {
        this.jetty = jetty;
        this.engine = engine;
    }

    public static void main(String[] args) throws Exception {
        PeerArgs a;
        try {
            a = PeerArgs.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("EngineIoJavaEchoServer: " + e.getMessage());
            System.exit(1);
            return;
        }
        EngineIoJavaEchoServer s;
        try {
            s = start(a);
        } catch (Exception e) { // the port in use, typically: exit (Jetty's pool threads would keep the JVM alive)
            System.err.println("EngineIoJavaEchoServer: cannot start: " + e);
            System.exit(2);
            return;
        }
        s.jetty.setStopAtShutdown(true);
        System.out.println("engine.io-server-java echo listening pid=" + ProcessHandle.current().pid() + " port="
                + s.port() + " version=" + VERSION);
        s.jetty.join();
    }

    /** Starts a server on 127.0.0.1 as the arguments say; returns once it accepts connections. */
    public static EngineIoJavaEchoServer start(PeerArgs a) throws Exception {
        EngineIoServerOptions options = EngineIoServerOptions.newFromDefault();
        options.setPingInterval(a.pingIntervalMs);
        options.setPingTimeout(a.pingTimeoutMs);
        EngineIoServer engine = new EngineIoServer(options);
        engine.on("connection", args -> {
            EngineIoSocket socket = (EngineIoSocket) args[0];
            socket.on("message", m -> socket.send(new Packet<>(Packet.MESSAGE, m[0])));
        });

        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(a.port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
                engine.handleRequest(request, response);
            }
        });
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/engine.io/*");
        NativeWebSocketServletContainerInitializer.configure(context, (servletContext, container) ->
                container.addMapping("/engine.io/*", (request, response) -> new JettyWebSocketHandler(engine)));
        WebSocketUpgradeFilter.configure(context);
        jetty.setHandler(context);
        jetty.start();
        return new EngineIoJavaEchoServer(jetty, engine);
    }

    /** The port it listens on. */
    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    /** Stops Jetty and the Engine.IO server's timers. */
    public void stop() throws Exception {
        jetty.stop();
        engine.shutdown();
    }
}
