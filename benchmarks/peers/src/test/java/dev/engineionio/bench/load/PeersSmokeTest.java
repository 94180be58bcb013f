package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.bench.peers.EngineIoJavaEchoServer;
import dev.engineionio.bench.peers.NettySocketIoEchoServer;
import dev.engineionio.bench.peers.PeerArgs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark peers start on loopback and answer the load tool in every scenario (with {@code --socketio} for
 * netty-socketio) without an error; engine.io-server-java echoes text and binary messages, netty-socketio a text
 * {@code echo} event. Through a relay that counts the responses on each TCP connection, netty-socketio is seen
 * to answer one polling request per connection (it closes each after its response) and the load tool to send the
 * next one again on a new connection, while engine.io-server-java keeps one connection for the whole session.
 * Nothing here compares a count with a time window: a window only has to hold one round trip (the first one, on a
 * cold JVM, gets 2 s).
 * Bounded: each load run lasts 1 to 2 s (plus a 10 s per-step deadline), and the class has a 120 s limit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PeersSmokeTest {

    private static EngineIoJavaEchoServer engineIoJava;
    private static NettySocketIoEchoServer nettySocketIo;
    private static int nettyPort;

    @BeforeAll
    static void start() throws Exception {
        engineIoJava = EngineIoJavaEchoServer.start(PeerArgs.parse(new String[] {"0", "--pingInterval", "300",
            "--pingTimeout", "5000"}));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nettyPort = s.getLocalPort();
        }
        nettySocketIo = NettySocketIoEchoServer.start(PeerArgs.parse(new String[] {String.valueOf(nettyPort),
            "--pingInterval", "300", "--pingTimeout", "5000"}));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engineIoJava != null) {
            engineIoJava.stop();
        }
        if (nettySocketIo != null) {
            nettySocketIo.stop();
        }
    }

    private static LoadMain.Result load(String scenario, String url, boolean socketIo, String... more)
            throws IOException, InterruptedException {
        String[] base = {scenario, "--url", url, "--warmup", "0", "--timeout", "10", "--label", "smoke"};
        String[] args = new String[base.length + more.length + (socketIo ? 1 : 0)];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        if (socketIo) {
            args[args.length - 1] = "--socketio";
        }
        LoadOptions o = LoadOptions.parse(args);
        LoadMain.Result r = LoadMain.run(o);
        assertEquals(0, r.errors, () -> scenario + ": " + r.errorMessages);
        assertTrue(r.ops > 0, () -> scenario + " measured nothing: " + r.json(o));
        return r;
    }

    private static void everyScenario(String url, boolean socketIo) throws Exception {
        load("ws", url, socketIo, "--sessions", "3", "--inflight", "4", "--duration", "2");
        LoadMain.Result polling = load("polling", url, socketIo, "--sessions", "3", "--duration", "1");
        assertEquals(3, polling.sessionsOpened);
        load("handshake", url, socketIo, "--sessions", "3", "--duration", "1");
        LoadMain.Result idle = load("idle", url, socketIo, "--sessions", "20", "--duration", "2");
        assertEquals(20, idle.heldSessions);
        assertTrue(idle.pingsAnswered > 0, "pings every 300 ms were answered while the sessions were held");
        assertEquals(0, idle.sessionsLost);
    }

    @Test
    void engineIoJavaServesEveryScenario() throws Exception {
        everyScenario("http://127.0.0.1:" + engineIoJava.port() + "/engine.io/", false);
    }

    @Test
    void nettySocketIoServesEveryScenarioOverSocketIo() throws Exception {
        everyScenario("http://127.0.0.1:" + nettyPort + "/socket.io/", true);
    }

    @Test
    void nettySocketIoAnswersOneRequestPerConnectionAndTheClientSendsTheNextOnANewOne() throws Exception {
        ConnectionCountingRelay relay = new ConnectionCountingRelay(nettyPort);
        LoadMain.Result r;
        try {
            r = load("polling", "http://127.0.0.1:" + relay.port() + "/socket.io/", true, "--sessions", "1",
                    "--duration", "1");
        } finally {
            relay.close(); // every count is final
        }
        List<Integer> responses = relay.responsesPerConnection();
        // handshake, namespace connect (POST, GET), then a POST and a GET per echo
        assertTrue(sum(responses) >= 3 + 2 * r.ops, () -> r.ops + " echoes, responses per connection: " + responses);
        for (int i = 0; i < responses.size(); i++) {
            // a connection without a response: the run ended while its request was on the way
            assertTrue(responses.get(i) == 1 || (responses.get(i) == 0 && i == responses.size() - 1),
                    () -> "responses per connection: " + responses);
        }
        assertTrue(r.reconnects > 0, "the client sent each unanswered request again on a new connection");
    }

    @Test
    void engineIoJavaAnswersEveryPollingRequestOfASessionOnOneConnection() throws Exception {
        ConnectionCountingRelay relay = new ConnectionCountingRelay(engineIoJava.port());
        LoadMain.Result r;
        try {
            r = load("polling", "http://127.0.0.1:" + relay.port() + "/engine.io/", false, "--sessions", "1",
                    "--duration", "1");
        } finally {
            relay.close();
        }
        List<Integer> responses = relay.responsesPerConnection();
        assertEquals(1, responses.size(), () -> "one keep-alive connection: " + responses);
        assertTrue(responses.get(0) >= 1 + 2 * r.ops, () -> r.ops + " echoes, responses: " + responses);
        assertEquals(0, r.reconnects);
    }

    private static int sum(List<Integer> counts) {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        return n;
    }

    /**
     * A loopback TCP relay in front of a peer that counts the HTTP/1.1 responses the peer sent on each accepted
     * connection (status lines {@code HTTP/1.1 }: the peers' polling bodies are short Engine.IO payloads that never
     * hold that text). When the peer closes its side the relay closes the client's connection, so the client sees
     * what it would see without the relay. Two threads per connection; {@link #close} ends them all and waits for
     * them, after which {@link #responsesPerConnection} is final.
     */
    static final class ConnectionCountingRelay {
        private static final byte[] STATUS_LINE_START = "HTTP/1.1 ".getBytes(StandardCharsets.ISO_8859_1);
        private final ServerSocket listener;
        private final int upstreamPort;
        private final List<AtomicInteger> counts = new CopyOnWriteArrayList<>();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        ConnectionCountingRelay(int upstreamPort) throws IOException {
            this.upstreamPort = upstreamPort;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            start(this::acceptLoop);
        }

        int port() {
            return listener.getLocalPort();
        }

        /** Responses seen per accepted connection, in accept order. */
        List<Integer> responsesPerConnection() {
            List<Integer> out = new ArrayList<>();
            for (AtomicInteger c : counts) {
                out.add(c.get());
            }
            return out;
        }

        private void acceptLoop() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    sockets.add(client);
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                    sockets.add(server);
                    AtomicInteger responses = new AtomicInteger();
                    counts.add(responses);
                    start(() -> pump(client, server, null));
                    start(() -> pump(server, client, responses));
                }
            } catch (IOException closed) {
                // the listener was closed: the test is over
            }
        }

        private void start(Runnable r) {
            Thread t = new Thread(r, "relay");
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }

        /**
         * Copies {@code from} to {@code to} until EOF; then the peer's close (counted direction) closes the client's
         * socket, and the client's end of input is passed on as a half close.
         */
        private static void pump(Socket from, Socket to, AtomicInteger responses) {
            byte[] buf = new byte[8192];
            int matched = 0;
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (responses != null) {
                        for (int i = 0; i < n; i++) {
                            matched = buf[i] == STATUS_LINE_START[matched] ? matched + 1
                                    : buf[i] == STATUS_LINE_START[0] ? 1 : 0;
                            if (matched == STATUS_LINE_START.length) {
                                responses.incrementAndGet();
                                matched = 0;
                            }
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // a reset or the relay's close: this direction is over
            }
            try {
                if (responses != null) {
                    to.close();
                } else {
                    to.shutdownOutput();
                }
            } catch (IOException ignored) {
                // already closed
            }
        }

        /** Closes the listener and every socket, and waits (bounded) for the relay's threads to end. */
        void close() throws IOException, InterruptedException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

    /** A JDK WebSocket client that queues whole text messages (String) and binary ones (byte[]). */
    static final class Frames implements WebSocket.Listener {
        final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            binary.writeBytes(b);
            if (last) {
                received.add(binary.toByteArray());
                binary.reset();
            }
            ws.request(1);
            return null;
        }

        Object next() throws InterruptedException {
            Object o;
            do {
                o = received.poll(10, TimeUnit.SECONDS);
            } while ("2".equals(o) || "3".equals(o)); // heartbeats
            return o;
        }
    }

    @Test
    void engineIoJavaEchoesTextAndBinary() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + engineIoJava.port() + "/engine.io/?EIO=4&transport=websocket"),
                        frames)
                .get(10, TimeUnit.SECONDS);
        try {
            Object open = frames.next();
            assertTrue(open instanceof String && ((String) open).startsWith("0{"), String.valueOf(open));
            ws.sendText("4héllo", true).get(10, TimeUnit.SECONDS);
            assertEquals("4héllo", frames.next());
            byte[] payload = {0, 1, 2, (byte) 0xFF, 'x'};
            ws.sendBinary(ByteBuffer.wrap(payload), true).get(10, TimeUnit.SECONDS);
            Object echo = frames.next();
            assertTrue(echo instanceof byte[], String.valueOf(echo));
            assertArrayEquals(payload, (byte[]) echo);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void nettySocketIoEchoesAnEventWithUnicodeText() throws Exception {
        Frames frames = new Frames();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + nettyPort + "/socket.io/?EIO=4&transport=websocket"), frames)
                .get(10, TimeUnit.SECONDS);
        try {
            Object open = frames.next();
            assertTrue(open instanceof String && ((String) open).startsWith("0{"), String.valueOf(open));
            ws.sendText("40", true).get(10, TimeUnit.SECONDS);
            Object ack = frames.next();
            assertTrue(ack instanceof String && ((String) ack).startsWith("40"), String.valueOf(ack));
            String event = new String(SocketIo.echoEvent("héllo \"€\"".getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
            ws.sendText("4" + event, true).get(10, TimeUnit.SECONDS);
            assertEquals("4" + event, frames.next());
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }
}
