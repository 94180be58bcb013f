package dev.engineionio.examples;

import dev.engineionio.*;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A raw WebSocket endpoint over loopback, with the JDK's {@code java.net.http.WebSocket} as client and a raw socket
 * for what the JDK client cannot send. Queues and futures wait with timeouts that are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketEndpointTest {

    private static final long GUARD_S = 20;

    private EngineServer server;
    private final BlockingQueue<String> serverEvents = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = EngineServer.builder()
                .listen("127.0.0.1", 0)
                .eventLoops(2)
                .webSocket("/echo", new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocketSession session) {
                        serverEvents.add("open " + session.path());
                    }

                    @Override
                    public void onText(WebSocketSession session, String text) {
                        if (text.startsWith("close:")) {
                            session.close(Integer.parseInt(text.substring(6)), "bye");
                        } else if (text.equals("ping")) {
                            session.ping("p1".getBytes(StandardCharsets.US_ASCII));
                        } else if (text.equals("fromThread")) {
                            new Thread(() -> {
                                for (int i = 0; i < 100; i++) {
                                    session.sendText("t" + i);
                                }
                            }).start();
                        } else {
                            session.sendText(text);
                        }
                    }

                    @Override
                    public void onBinary(WebSocketSession session, ByteBuffer data) {
                        session.sendBinary(data);
                    }

                    @Override
                    public void onClose(WebSocketSession session, int code, String reason) {
                        serverEvents.add("close " + code + " " + reason);
                    }
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Collects whole messages (the JDK client delivers parts). */
    static final class Listener implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream bin = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] a = new byte[data.remaining()];
            data.get(a);
            bin.write(a, 0, a.length);
            if (last) {
                messages.add(bin.toByteArray());
                bin = new java.io.ByteArrayOutputStream();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            byte[] a = new byte[message.remaining()];
            message.get(a);
            messages.add("PING " + new String(a, StandardCharsets.US_ASCII));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            byte[] a = new byte[message.remaining()];
            message.get(a);
            messages.add("PONG " + new String(a, StandardCharsets.US_ASCII));
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.completeExceptionally(error);
        }

        Object next() throws InterruptedException {
            Object o = messages.poll(GUARD_S, TimeUnit.SECONDS);
            assertNotNull(o, "no message");
            return o;
        }
    }

    private WebSocket connect(Listener l) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), l)
                .get(GUARD_S, TimeUnit.SECONDS);
    }

    private String event() throws InterruptedException {
        String e = serverEvents.poll(GUARD_S, TimeUnit.SECONDS);
        assertNotNull(e, "no server event");
        return e;
    }

    @Test
    void echoesTextBinaryAndAOneMebibyteMessage() throws Exception {
        Listener l = new Listener();
        WebSocket ws = connect(l);
        assertEquals("open /echo", event());
        ws.sendText("héllo €", true).get(GUARD_S, TimeUnit.SECONDS);
        assertEquals("héllo €", l.next());
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(GUARD_S, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) l.next());
        byte[] big = new byte[1 << 20];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + 7);
        }
        ws.sendBinary(ByteBuffer.wrap(big), true).get(GUARD_S, TimeUnit.SECONDS);
        assertArrayEquals(big, (byte[]) l.next());
        char[] chars = new char[1 << 20];
        Arrays.fill(chars, 'x');
        String bigText = new String(chars);
        // sent in two fragments: the server reassembles
        ws.sendText(bigText.substring(0, 1000), false).get(GUARD_S, TimeUnit.SECONDS);
        ws.sendText(bigText.substring(1000), true).get(GUARD_S, TimeUnit.SECONDS);
        assertEquals(bigText, l.next());
        ws.sendClose(1000, "done").get(GUARD_S, TimeUnit.SECONDS);
        assertEquals("1000 ", l.closed.get(GUARD_S, TimeUnit.SECONDS));
        assertEquals("close 1000 done", event());
    }

    @Test
    void answersPingsAndSendsPings() throws Exception {
        Listener l = new Listener();
        WebSocket ws = connect(l);
        event();
        ws.sendPing(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII))).get(GUARD_S, TimeUnit.SECONDS);
        assertEquals("PONG abc", l.next());
        ws.sendText("ping", true);
        assertEquals("PING p1", l.next());
        ws.abort();
    }

    @Test
    void serverCloseCodeReachesTheClientAndOtherThreadsKeepTheirOrder() throws Exception {
        Listener l = new Listener();
        WebSocket ws = connect(l);
        event();
        ws.sendText("fromThread", true);
        for (int i = 0; i < 100; i++) {
            assertEquals("t" + i, l.next());
        }
        ws.sendText("close:4001", true);
        assertEquals("4001 bye", l.closed.get(GUARD_S, TimeUnit.SECONDS));
        // the JDK client answers our close by itself (its onClose returned null): the handshake completes with the
        // code it echoes
        assertEquals("close 4001 ", event());
    }

    @Test
    void protocolErrorFromARawClientIsClosedWith1002() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.upgrade("/echo");
            assertEquals(101, r.status);
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.header("sec-websocket-accept"));
            event();
            c.sendFrame(0x3, true, new byte[0]); // reserved opcode
            RawClient.Frame f = c.readFrame();
            assertEquals(0x8, f.opcode());
            assertEquals(1002, f.closeCode());
            c.readToEof();
            assertTrue(event().startsWith("close 1002"));
        }
    }

    @Test
    void messageOverTheLimitIsClosedWith1009() throws Exception {
        server.close();
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).webSocketMaxMessageSize(100)
                .webSocket("/echo", new WebSocketHandler() { }).build().start();
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(101, c.upgrade("/echo").status);
            c.sendFrame(0x2, true, new byte[100]);
            c.sendFrame(0x2, true, new byte[101]);
            RawClient.Frame f = c.readFrame();
            assertEquals(0x8, f.opcode());
            assertEquals(1009, f.closeCode());
        }
    }

    @Test
    void failedHandshakes() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.request("GET", "/echo", null, "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 8"));
            RawClient.Response r = c.read();
            assertEquals(426, r.status);
            assertEquals("13", r.header("sec-websocket-version"));
            c.readToEof();
        }
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.request("GET", "/echo", null, "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: short", "Sec-WebSocket-Version: 13"));
            assertEquals(400, c.read().status);
            c.readToEof();
        }
        try (RawClient c = new RawClient(server.port())) {
            // not an endpoint: the request goes to the fallback handler (404) on a plain GET
            assertEquals(404, c.get("/echo").status);
        }
    }
}
