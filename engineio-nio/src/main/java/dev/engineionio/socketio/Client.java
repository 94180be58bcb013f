package dev.engineionio.socketio;

import dev.engineionio.EngineSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Engine.IO session seen by Socket.IO (the reference's {@code Client}): decodes its messages, routes packets to
 * the socket of their namespace, connects namespaces, and closes the session that never connects one within
 * {@code connectTimeout} or sends a packet it cannot decode.
 *
 * <p>Threads: everything but {@link #write} runs on the session's loop ({@link EngineSocket} listeners and tasks).
 * {@link #write} any thread.
 */
final class Client {

    private final SocketIoServer server;
    private final EngineSocket conn;
    private final SocketIoParser.Decoder decoder;
    /** Connected sockets by namespace name; loop only. */
    private final Map<String, SocketIoSocket> nsps = new LinkedHashMap<>();
    private EngineSocket.Timer connectTimer;
    private volatile boolean closed;

    Client(SocketIoServer server, EngineSocket conn) {
        this.server = server;
        this.conn = conn;
        this.decoder = new SocketIoParser.Decoder(server.maxAttachments(), server.maxDepth());
    }

    /** Registers the listeners and the connect timeout; on the session's loop (the {@code onConnection} call). */
    void setup() {
        conn.onMessage(this::onText);
        conn.onBinary(this::onBinary);
        conn.onClose(this::onClose);
        connectTimer = conn.schedule(server.connectTimeout(), () -> {
            if (nsps.isEmpty()) {
                close();
            }
        });
        if (conn.protocol() == 3) {
            connect("/", new LinkedHashMap<>()); // protocol 4 clients are in "/" without asking
        }
    }

    EngineSocket engine() {
        return conn;
    }

    int protocol() {
        return conn.protocol();
    }

    boolean isOpen() {
        return !closed && conn.isOpen();
    }

    /**
     * Writes an encoded packet: its text, then its attachments. A volatile one is written only if the transport can
     * take it now, checked on the loop (the reference's {@code writeToEngine}). Any thread.
     */
    void write(SocketIoParser.Encoded e, boolean volatileFlag) {
        if (closed || !conn.isOpen()) {
            return;
        }
        if (volatileFlag) {
            conn.execute(() -> {
                if (!closed && conn.isWritable()) {
                    send(e);
                }
            });
            return;
        }
        send(e);
    }

    private void send(SocketIoParser.Encoded e) {
        conn.send(e.text());
        for (byte[] b : e.attachments()) {
            conn.send(b);
        }
    }

    private void onText(String s) {
        if (closed) {
            return;
        }
        decoded(decoder.text(s));
    }

    private void onBinary(byte[] b) {
        if (closed) {
            return;
        }
        decoded(decoder.binary(b));
    }

    private void decoded(int status) {
        if (status == SocketIoParser.Decoder.ERROR) {
            onError(decoder.error().message());
        } else if (status == SocketIoParser.Decoder.COMPLETE) {
            onPacket(decoder.packet());
        }
    }

    /** The reference's {@code ondecoded}. */
    private void onPacket(SocketIoPacket p) {
        String namespace = p.nsp();
        Map<String, Object> auth = null;
        if (conn.protocol() == 3) {
            int q = namespace.indexOf('?');
            if (q >= 0) {
                auth = query(namespace.substring(q + 1));
                namespace = namespace.substring(0, q);
            }
        } else if (p.data() instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) p.data();
            auth = m;
        }
        SocketIoSocket socket = nsps.get(namespace);
        if (socket == null && p.type() == PacketType.CONNECT) {
            connect(namespace, auth == null ? new LinkedHashMap<>() : auth);
        } else if (socket != null && p.type() != PacketType.CONNECT && p.type() != PacketType.CONNECT_ERROR) {
            socket.onPacket(p);
        } else {
            close();
        }
    }

    private static Map<String, Object> query(String q) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String part : q.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    private void connect(String name, Map<String, Object> auth) {
        Namespace nsp = server.namespaceFor(name);
        if (nsp == null) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("message", "Invalid namespace");
            write(SocketIoParser.encode(new SocketIoPacket(PacketType.CONNECT_ERROR, name, SocketIoPacket.NO_ID,
                    err)), false);
            return;
        }
        nsp.add(this, auth, socket -> {
            nsps.put(nsp.name(), socket);
            if (connectTimer != null) {
                connectTimer.cancel();
                connectTimer = null;
            }
        });
    }

    /** Removes a socket that left (called by the socket); loop. */
    void remove(SocketIoSocket socket) {
        nsps.remove(socket.nsp().name(), socket);
    }

    /** The reference's {@code _disconnect}: every socket leaves (server namespace disconnect), then close. */
    void disconnectAll() {
        for (SocketIoSocket s : new ArrayList<>(nsps.values())) {
            s.packet(new SocketIoPacket(PacketType.DISCONNECT, s.nsp().name(), SocketIoPacket.NO_ID, null));
            s.onClose("server namespace disconnect", null);
        }
        nsps.clear();
        close();
    }

    /** The reference's {@code close}: closes the session; the sockets leave with {@code forced server close}. */
    void close() {
        if (conn.isOpen() && !closed) {
            // the sockets leave first: the session's own close event ("forced close") must not name the reason
            onClose("forced server close", null);
            conn.close();
        }
    }

    private void onError(String message) {
        for (SocketIoSocket s : new ArrayList<>(nsps.values())) {
            s.onError(message);
        }
        conn.close(); // the session's close event brings the sockets' disconnect ("forced close")
    }

    /** The session closed (or {@link #close}); loop. */
    private void onClose(String reason, String description) {
        if (closed) {
            return;
        }
        closed = true;
        if (connectTimer != null) {
            connectTimer.cancel();
            connectTimer = null;
        }
        List<SocketIoSocket> list = new ArrayList<>(nsps.values());
        for (SocketIoSocket s : list) {
            s.onClose(reason, description);
        }
        nsps.clear();
        decoder.reset();
    }

    /** Runs the reference's {@code server shutting down} close of every socket; loop. */
    void shutDown() {
        for (SocketIoSocket s : new ArrayList<>(nsps.values())) {
            s.onClose("server shutting down", null);
        }
    }
}
