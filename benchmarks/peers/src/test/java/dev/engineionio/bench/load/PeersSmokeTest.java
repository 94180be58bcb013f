package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.bench.peers.EngineIoJavaEchoServer;
import dev.engineionio.bench.peers.NettySocketIoEchoServer;
import dev.engineionio.bench.peers.PeerArgs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark peers start on loopback and answer the load tool in every scenario (with {@code --socketio} for
 * netty-socketio) without an error; engine.io-server-java echoes text and binary messages, netty-socketio a text
 * {@code echo} event; netty-socketio's one-connection-per-polling-request is what the client's reconnects count. Bounded: each load run lasts well under a second (plus
 * a 10 s per-step deadline), and the class has a 120 s limit.
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
        load("ws", url, socketIo, "--sessions", "3", "--inflight", "4", "--duration", "0.5");
        LoadMain.Result polling = load("polling", url, socketIo, "--sessions", "3", "--duration", "0.8");
        assertEquals(3, polling.sessionsOpened);
        load("handshake", url, socketIo, "--sessions", "3", "--duration", "0.5");
        LoadMain.Result idle = load("idle", url, socketIo, "--sessions", "20", "--duration", "0.8");
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
    void nettySocketIoClosesEachPollingConnectionAndTheClientReconnects() throws Exception {
        LoadMain.Result r = load("polling", "http://127.0.0.1:" + nettyPort + "/socket.io/", true, "--sessions", "1",
                "--duration", "0.5");
        assertEquals(2.0, r.reconnects / (double) r.ops, 0.05, "a new connection for the POST and one for the GET");
    }

    @Test
    void engineIoJavaKeepsPollingConnectionsAlive() throws Exception {
        LoadMain.Result r = load("polling", "http://127.0.0.1:" + engineIoJava.port() + "/engine.io/", false,
                "--sessions", "1", "--duration", "0.5");
        assertEquals(0, r.reconnects);
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
