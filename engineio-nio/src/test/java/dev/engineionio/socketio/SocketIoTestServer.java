package dev.engineionio.socketio;

import dev.engineionio.EngineServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Our server with the interop contract of {@code src/test/js-socketio/reference-server.js} (its twin: the same
 * namespaces, middleware and event handlers), for {@link SocketIoInteropTest}.
 */
final class SocketIoTestServer implements AutoCloseable {

    final SocketIoServer io;
    /** Disconnect reasons as {tag, "nsp reason"}. */
    private final List<String[]> reasons = new ArrayList<>();

    SocketIoTestServer() throws IOException {
        this(false);
    }

    /** With {@code recovery}: connectionStateRecovery (2 minutes, skipMiddlewares), as the reference's twin port. */
    SocketIoTestServer(boolean recovery) throws IOException {
        SocketIoServer.Builder b = SocketIoServer.builder(EngineServer.builder()
                        .listen("127.0.0.1", 0)
                        .pingInterval(Duration.ofSeconds(1))
                        .pingTimeout(Duration.ofMillis(5000))
                        .maxHttpBufferSize(1_000_000)
                        .allowEIO3(true)
                        .corsAnyOrigin())
                .connectTimeout(Duration.ofMillis(1000));
        if (recovery) {
            b.connectionStateRecovery(Duration.ofMinutes(2), true);
        }
        io = b.build();
        for (Namespace nsp : List.of(io.of("/"), io.of("/custom"), io.of(Pattern.compile("/dyn-\\d+")))) {
            nsp.use(SocketIoTestServer::guard);
            nsp.onConnection(this::setup);
        }
        io.start();
    }

    int port() {
        return io.port();
    }

    private static void guard(SocketIoSocket socket, Middleware.Next next) {
        if ("bad".equals(socket.handshake().auth().get("token"))) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("code", 42);
            data.put("why", "bad token");
            next.fail("not authorized", data);
        } else {
            next.proceed();
        }
    }

    private void setup(SocketIoSocket socket) {
        Namespace nsp = socket.nsp();
        socket.emit("auth", socket.handshake().auth());
        Object authTag = socket.handshake().auth().get("tag");
        String tag = authTag != null ? String.valueOf(authTag) : socket.handshake().query().get("tag");
        socket.onDisconnect((reason, d) -> {
            synchronized (reasons) {
                reasons.add(new String[] {tag, nsp.name() + " " + reason});
            }
        });
        socket.on("echo", (args, ack) -> {
            socket.emit("echo-back", args.toArray());
            ack.send(args.toArray());
        });
        socket.on("join", (args, ack) -> {
            socket.join((String) args.get(0));
            ack.send(rooms(socket));
        });
        socket.on("leave", (args, ack) -> {
            socket.leave((String) args.get(0));
            ack.send(rooms(socket));
        });
        socket.on("to-room", (args, ack) -> socket.to((String) args.get(0)).emit("room-msg", args.get(1)));
        socket.on("to-room-except", (args, ack) -> {
            nsp.to((String) args.get(0)).except((String) args.get(1)).emit("room-msg", args.get(2));
            ack.send();
        });
        socket.on("broadcast", (args, ack) -> socket.broadcast().emit("room-msg", args.get(0)));
        socket.on("ask", (args, ack) -> {
            boolean answer = Boolean.TRUE.equals(args.get(0));
            socket.emitWithAck(Duration.ofMillis(answer ? 2000 : 300), "question", args.toArray())
                    .whenComplete((reply, err) -> {
                        Map<String, Object> m = new LinkedHashMap<>();
                        if (err == null) {
                            m.put("ok", true);
                            m.put("answer", Arrays.asList(reply.isEmpty() ? null : reply.get(0)));
                        } else {
                            m.put("ok", false);
                            m.put("error", err.getMessage());
                        }
                        ack.send(m);
                    });
        });
        socket.on("disconnect-me", (args, ack) -> socket.disconnect(Boolean.TRUE.equals(args.get(0))));
        socket.on("last-reasons", (args, ack) -> {
            List<String> r = new ArrayList<>();
            synchronized (reasons) {
                reasons.removeIf(e -> {
                    if (java.util.Objects.equals(e[0], args.get(0))) {
                        r.add(e[1]);
                        return true;
                    }
                    return false;
                });
            }
            ack.send(r);
        });
        socket.on("set-data", (args, ack) -> {
            socket.data(args.get(0));
            ack.send();
        });
        socket.on("get-data", (args, ack) -> ack.send(socket.data(), socket.recovered()));
        socket.on("volatile-room", (args, ack) -> {
            nsp.to((String) args.get(0)).volatileFlag().emit("room-msg", args.get(1));
            ack.send();
        });
        socket.on("handshake", (args, ack) -> {
            Handshake h = socket.handshake();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("query", h.query());
            m.put("url", h.url());
            m.put("address", h.address());
            m.put("issuedIsNumber", true);
            m.put("idLength", socket.id().length());
            m.put("secure", h.secure());
            m.put("xdomain", h.xdomain());
            ack.send(m);
        });
    }

    private static List<String> rooms(SocketIoSocket socket) {
        TreeSet<String> r = new TreeSet<>(socket.rooms());
        r.remove(socket.id());
        return new ArrayList<>(r);
    }

    @Override
    public void close() {
        io.close();
    }
}
