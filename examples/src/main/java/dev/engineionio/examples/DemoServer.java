package dev.engineionio.examples;

import dev.engineionio.EngineServer;
import dev.engineionio.EngineSocket;
import dev.engineionio.HttpRequest;
import dev.engineionio.HttpResponse;
import dev.engineionio.TlsContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The demo: a chat room in the browser on engineio-nio. One {@link EngineServer} serves the page ({@code index.html},
 * {@code app.js}, {@code style.css} from the class path's {@code demo/} folder, and engine.io-client 6.6.8's browser
 * bundle {@code engine.io.min.js}, which the Maven build installs from npm and copies there) through its
 * {@link dev.engineionio.HttpHandler}, and Engine.IO on {@code /engine.io/}.
 *
 * <pre>
 * mvn -B -q -DskipTests package &amp;&amp; java -jar examples/target/examples.jar [port] [--tls &lt;pkcs12-file&gt; &lt;password&gt;]
 * # then open http://localhost:3000 (and http://localhost:3000/?transport=polling); with --tls, https://localhost:3000
 * </pre>
 *
 * <h2>Messages (text, one per Engine.IO message)</h2>
 * <table>
 * <caption>the page's protocol</caption>
 * <tr><th>page to server</th><th>server answers</th></tr>
 * <tr><td>{@code ping:<t>}</td><td>{@code pong:<t>} to that page only (the page shows the round-trip time)</td></tr>
 * <tr><td>{@code name:<name>}</td><td>{@code info:<name> joined} (first time) or {@code info:<old> is now <name>}
 * to everyone</td></tr>
 * <tr><td>{@code chat:<text>}</td><td>{@code chat:<name>:<text>} to everyone, the sender included</td></tr>
 * </table>
 * Opens and closes broadcast {@code users:<count>}; a named page's close broadcasts {@code info:<name> left}.
 *
 * <h2>Threads and limits</h2>
 * Listeners run on the session's event loop; {@link EngineSocket#send} may be called from any thread, so a broadcast
 * simply walks the concurrent set of open sockets. Names are cut to {@value #MAX_NAME} characters (control characters
 * and {@code :} removed; empty gives {@code guest}), chat texts to {@value #MAX_TEXT}; Engine.IO messages over
 * {@code maxHttpBufferSize} {@value #MAX_MESSAGE} bytes end the session (413 / close 1009, as the reference). Unknown
 * messages are ignored. Port: first argument (default 3000); {@code --tls <pkcs12-file> <password>} serves https and
 * wss instead of http and ws, with that keystore's first key (see {@link TlsContext}); listens on 127.0.0.1 and ::1 (browsers try ::1 first for
 * {@code localhost}; ::1 is skipped with a note when unavailable), then prints {@code Demo running on
 * http://localhost:<port>} and {@code LISTENING <port>}.
 */
public final class DemoServer {

    /** Longest name kept, in chars. */
    static final int MAX_NAME = 24;
    /** Longest chat text kept, in chars. */
    static final int MAX_TEXT = 2000;
    /** The server's {@code maxHttpBufferSize}. */
    static final int MAX_MESSAGE = 64 * 1024;

    private final Set<EngineSocket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, Asset> assets = new HashMap<>();
    private final Consumer<String> log;
    /** Serve over TLS with this certificate (--tls), or plain when null. */
    TlsContext tls;

    /**
     * Loads the page's files from the class path ({@link IllegalStateException} naming the missing one, e.g. when the
     * npm bundle was not installed by the build). {@code log} gets one line per join, upgrade and leave.
     */
    DemoServer(Consumer<String> log) {
        this.log = log;
        Asset index = asset("index.html", "text/html; charset=UTF-8");
        assets.put("/", index);
        assets.put("/index.html", index);
        assets.put("/app.js", asset("app.js", "text/javascript; charset=UTF-8"));
        assets.put("/style.css", asset("style.css", "text/css; charset=UTF-8"));
        assets.put("/engine.io.min.js", asset("engine.io.min.js", "text/javascript; charset=UTF-8"));
        assets.put("/engine.io.min.js.map", asset("engine.io.min.js.map", "application/json"));
        assets.put("/engine.io-sse.js", asset("engine.io-sse.js", "text/javascript; charset=UTF-8"));
    }

    static final String USAGE = "java -jar examples/target/examples.jar [port] [--tls <pkcs12-file> <password>]";

    public static void main(String[] args) throws Exception {
        int port = 3000;
        TlsContext tls = null;
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--tls")) {
                    if (i + 2 >= args.length) {
                        throw new Cli.UsageError("--tls takes <pkcs12-file> <password>");
                    }
                    tls = TlsContext.fromPkcs12(Path.of(args[i + 1]), args[i + 2].toCharArray());
                    i += 2;
                } else if (i == 0) {
                    port = Cli.port(args[i]);
                } else {
                    throw new Cli.UsageError("unexpected argument '" + args[i] + "'");
                }
            }
        } catch (Cli.UsageError e) {
            Cli.exitUsage(e, USAGE);
            return;
        }
        DemoServer demo = new DemoServer(line -> System.out.println(line));
        demo.tls = tls;
        EngineServer server = demo.server(port, "127.0.0.1", "::1");
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            server.close();
            server = demo.server(port, "127.0.0.1");
            try {
                server.start();
            } catch (IOException busy) {
                server.close();
                Cli.exitCannotListen(busy, busy instanceof BindException
                        ? "give another port: java -jar examples/target/examples.jar 3001" : null);
                return;
            }
            System.err.println("::1 unavailable (" + e + "); listening on 127.0.0.1 only");
        }
        EngineServer s = server;
        Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        System.out.println("Demo running on " + (tls == null ? "http" : "https") + "://localhost:" + server.port());
        System.out.println("LISTENING " + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }

    /** The demo's server (not started) on {@code port} (0: any free port) of each of {@code hosts}. */
    EngineServer server(int port, String... hosts) {
        EngineServer.Builder b = EngineServer.builder()
                .maxHttpBufferSize(MAX_MESSAGE)
                .transports("polling", "websocket", "sse")      // sse: the page's ?transport=sse
                .httpHandler(this::serveFile)
                .onConnection(this::onConnection);
        for (String host : hosts) {
            if (tls == null) {
                b.listen(host, port);
            } else {
                b.listenTls(host, port, tls);
            }
        }
        return b.build();
    }

    private void onConnection(EngineSocket socket) {
        sockets.add(socket);
        broadcast("users:" + sockets.size());
        socket.onMessage(text -> onText(socket, text))
                .onUpgrade(transport -> log.accept(nameOf(socket) + " upgraded to " + transport))
                .onClose((reason, description) -> {
                    sockets.remove(socket);
                    if (socket.attachment() != null) {
                        log.accept(nameOf(socket) + " left (" + reason + ")");
                        broadcast("info:" + nameOf(socket) + " left");
                    }
                    broadcast("users:" + sockets.size());
                });
    }

    private void onText(EngineSocket socket, String text) {
        if (text.startsWith("ping:")) {
            socket.send("pong:" + text.substring(5));
        } else if (text.startsWith("chat:")) {
            broadcast("chat:" + nameOf(socket) + ":" + cut(text.substring(5), MAX_TEXT));
        } else if (text.startsWith("name:")) {
            String name = cleanName(text.substring(5));
            Object old = socket.attachment();
            socket.attach(name);
            if (old == null) {
                broadcast("info:" + name + " joined");
                log.accept(name + " joined over " + socket.transport());
            } else if (!old.equals(name)) {
                broadcast("info:" + old + " is now " + name);
            }
        }
    }

    private void broadcast(String message) {
        for (EngineSocket s : sockets) {
            s.send(message);
        }
    }

    /**
     * GET (and HEAD) of the page's files; 404 elsewhere, 405 for other methods. The server writes whatever body it is
     * given, also for HEAD, so a HEAD answer is sent with an empty body (RFC 9110 section 9.3.2: no content).
     */
    private void serveFile(HttpRequest request, HttpResponse response) {
        boolean head = request.method().equals("HEAD");
        Asset asset = assets.get(request.path());
        if (asset == null) {
            response.status(404).header("Content-Type", "text/plain; charset=UTF-8").send(head ? "" : "Not Found");
        } else if (!head && !request.method().equals("GET")) {
            response.status(405).header("Allow", "GET, HEAD").header("Content-Type", "text/plain; charset=UTF-8")
                    .send("Method Not Allowed");
        } else {
            response.header("Content-Type", asset.type)
                    .header("Cache-Control", "no-cache")
                    .header("X-Content-Type-Options", "nosniff")
                    .send(head ? new byte[0] : asset.bytes);
        }
    }

    private static String nameOf(EngineSocket socket) {
        Object name = socket.attachment();
        return name == null ? "guest" : (String) name;
    }

    /** Control characters and {@code :} removed, trimmed, cut to {@link #MAX_NAME}; {@code guest} when empty. */
    static String cleanName(String raw) {
        StringBuilder sb = new StringBuilder(Math.min(raw.length(), MAX_NAME));
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 0x20 && c != 0x7f && c != ':') {
                sb.append(c);
            }
        }
        String name = cut(sb.toString().trim(), MAX_NAME).trim();
        return name.isEmpty() ? "guest" : name;
    }

    /** At most {@code max} chars, never splitting a surrogate pair. */
    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    private static Asset asset(String name, String type) {
        try (InputStream in = DemoServer.class.getResourceAsStream("/demo/" + name)) {
            if (in == null) {
                throw new IllegalStateException("class path resource demo/" + name + " is missing: build with "
                        + "`mvn -B -q -DskipTests package` (it installs engine.io-client from npm and copies its "
                        + "browser bundle into the jar), then run `java -jar examples/target/examples.jar`");
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Asset {
        final byte[] bytes;
        final String type;

        Asset(byte[] bytes, String type) {
            this.bytes = bytes;
            this.type = type;
        }
    }
}
