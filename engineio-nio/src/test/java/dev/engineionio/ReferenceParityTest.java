package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over raw loopback sockets, the server's answers where the reference (engine.io 6.6.12 on Node 20 and ws 8.21) was
 * read byte for byte: ws's handshake rejections on the Engine.IO path (the raw WebSocket endpoint keeps RFC 6455's),
 * ws's code-only Close on a protocol error, HEAD answers without body, {@link EngineServer#clients()}, and a failed
 * start that closes cleanly. Socket timeouts and queue polls are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReferenceParityTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9_-]{20})\"");
    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
    private static final String V13 = "Sec-WebSocket-Version: 13";
    private static final String UPGRADE = "Upgrade: websocket";
    private static final String CONNECTION = "Connection: Upgrade";
    private static final String WS = "/engine.io/?EIO=4&transport=websocket";
    private static final String ABORT = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\n";

    private final BlockingQueue<EngineSocket> connections = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> closed = new LinkedBlockingQueue<>();
    private EngineServer server;

    private void start(int maxHttpBufferSize) throws IOException {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2).maxHttpBufferSize(maxHttpBufferSize)
                .corsAnyOrigin()
                .webSocket("/raw", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession session, String text) {
                        session.sendText(text);
                    }
                })
                .onConnection(s -> {
                    connections.add(s);
                    s.onMessage(s::send);
                    s.onClose((reason, description) -> closed.add(s.id()));
                })
                .build().start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String exchangeToEof(String method, String target, String... headers) throws IOException {
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.request(method, target, null, headers));
            return new String(c.readToEof(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String wsAbort(String message) {
        return ABORT + "Content-Length: " + message.length() + "\r\n\r\n" + message;
    }

    @Test
    void engineIoUpgradeRejectionsAreWs() throws Exception {
        start(1000);
        assertEquals(wsAbort("Missing or invalid Sec-WebSocket-Key header"),
                exchangeToEof("GET", WS, UPGRADE, CONNECTION, V13));
        // the key is checked before the version, as ws does
        assertEquals(wsAbort("Missing or invalid Sec-WebSocket-Key header"),
                exchangeToEof("GET", WS, UPGRADE, CONNECTION, "Sec-WebSocket-Version: 12"));
        assertEquals(wsAbort("Missing or invalid Sec-WebSocket-Key header"),
                exchangeToEof("GET", WS, UPGRADE, CONNECTION, KEY, KEY, V13));
        assertEquals(ABORT + "Content-Length: 47\r\nSec-WebSocket-Version: 13, 8\r\n\r\n"
                + "Missing or invalid Sec-WebSocket-Version header",
                exchangeToEof("GET", WS, UPGRADE, CONNECTION, KEY, "Sec-WebSocket-Version: 12"));
        assertEquals(ABORT + "Content-Length: 47\r\nSec-WebSocket-Version: 13, 8\r\n\r\n"
                + "Missing or invalid Sec-WebSocket-Version header",
                exchangeToEof("GET", WS, UPGRADE, CONNECTION, KEY, V13, V13));
        assertEquals(wsAbort("Invalid Upgrade header"),
                exchangeToEof("GET", WS, "Upgrade: websocket, foo", CONNECTION, KEY, V13));
        assertEquals(wsAbort("Invalid Sec-WebSocket-Protocol header"),
                exchangeToEof("GET", WS, UPGRADE, CONNECTION, KEY, V13, "Sec-WebSocket-Protocol: a, a"));
        assertEquals(wsAbort("Invalid Sec-WebSocket-Protocol header"),
                exchangeToEof("GET", WS, UPGRADE, CONNECTION, KEY, V13, "Sec-WebSocket-Protocol: a, ,b"));
    }

    @Test
    void engineIoUpgradeWithoutGetOnAKnownSessionIs405AsWs() throws Exception {
        start(1000);
        String sid;
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get("/engine.io/?EIO=4&transport=polling");
            Matcher m = SID.matcher(r.text());
            assertTrue(m.find(), r.text());
            sid = m.group(1);
        }
        assertEquals("HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Type: text/html\r\n"
                + "Content-Length: 19\r\n\r\nInvalid HTTP method",
                exchangeToEof("PUT", WS + "&sid=" + sid, UPGRADE, CONNECTION, KEY, V13));
    }

    @Test
    void engineIoUpgradeAcceptsWhatWsAccepts() throws Exception {
        start(1000);
        for (String[] extra : List.of(new String[] {"Sec-WebSocket-Version: 8"},
                new String[] {"Sec-WebSocket-Version: 13", "Sec-WebSocket-Protocol: a, b"})) {
            try (RawClient c = new RawClient(server.port())) {
                String[] h = new String[3 + extra.length];
                h[0] = UPGRADE;
                h[1] = CONNECTION;
                h[2] = KEY;
                System.arraycopy(extra, 0, h, 3, extra.length);
                c.send(RawClient.request("GET", WS, null, h));
                RawClient.Response r = c.readHead();
                assertEquals(101, r.status);
                assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", r.header("sec-websocket-accept"));
                // ws echoes the first offered subprotocol
                assertEquals(extra.length == 2 ? "a" : null, r.header("sec-websocket-protocol"));
                assertTrue(c.readFrame().text().startsWith("0{\"sid\":"));
            }
        }
    }

    @Test
    void rawEndpointKeepsRfc6455Answers() throws Exception {
        start(1000);
        assertEquals("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n"
                + "Content-Length: 0\r\n\r\n", exchangeToEof("GET", "/raw", UPGRADE, CONNECTION, KEY, "Sec-WebSocket-Version: 8"));
        assertEquals("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                exchangeToEof("GET", "/raw", UPGRADE, CONNECTION, V13));
    }

    @Test
    void protocolErrorCloseCarriesTheCodeOnlyOnBothPaths() throws Exception {
        start(100);
        try (RawClient ws = new RawClient(server.port())) {
            assertEquals(101, ws.upgrade(WS).status);
            ws.readFrame(); // open packet
            ws.sendText("4" + "x".repeat(150));
            RawClient.Frame f = ws.readFrame();
            assertEquals(0x8, f.opcode());
            assertArrayEquals(new byte[] {0x03, (byte) 0xF1}, f.payload()); // 1009, no reason text
        }
        try (RawClient ws = new RawClient(server.port())) {
            assertEquals(101, ws.upgrade("/raw").status);
            ws.sendFrame(0x1, true, new byte[] {(byte) 0xC3, 0x28}); // invalid UTF-8
            RawClient.Frame f = ws.readFrame();
            assertEquals(0x8, f.opcode());
            assertArrayEquals(new byte[] {0x03, (byte) 0xEF}, f.payload()); // 1007, no reason text
        }
    }

    @Test
    void headAnswersCarryTheGetsLengthAndNoBody() throws Exception {
        start(1000);
        try (RawClient c = new RawClient(server.port())) {
            // fallback handler (404), then Engine.IO (400 code 2: the handshake is GET only), each followed by a GET
            c.send(RawClient.request("HEAD", "/nope", null) + RawClient.request("GET", "/nope", null)
                    + RawClient.request("HEAD", "/engine.io/?EIO=4&transport=polling", null)
                    + RawClient.request("GET", "/engine.io/?EIO=4&transport=nope", null));
            RawClient.Response head = c.readHead();
            assertEquals(404, head.status);
            assertEquals("9", head.header("content-length"));
            RawClient.Response get = c.read();
            assertEquals(404, get.status);
            assertEquals("Not Found", get.text());
            RawClient.Response engineHead = c.readHead();
            assertEquals(400, engineHead.status);
            assertEquals("application/json", engineHead.header("content-type"));
            assertEquals(String.valueOf("{\"code\":2,\"message\":\"Bad handshake method\"}".length()),
                    engineHead.header("content-length"));
            RawClient.Response engineGet = c.read();
            assertEquals(400, engineGet.status);
            assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", engineGet.text());
        }
    }

    @Test
    void clientsIsASnapshotOfTheOpenSessions() throws Exception {
        start(1000);
        assertTrue(server.clients().isEmpty());
        try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            assertEquals(101, a.upgrade(WS).status);
            assertEquals(101, b.upgrade(WS).status);
            EngineSocket first = connections.poll(20, TimeUnit.SECONDS);
            EngineSocket second = connections.poll(20, TimeUnit.SECONDS);
            assertNotNull(first);
            assertNotNull(second);
            Map<String, EngineSocket> clients = server.clients();
            assertEquals(Set.of(first.id(), second.id()), clients.keySet());
            assertEquals(first, clients.get(first.id()));
            assertThrows(UnsupportedOperationException.class, () -> clients.remove(first.id()));
            first.close();
            // a snapshot taken after the close listener ran lacks the session; the one taken before stays as it was
            assertEquals(first.id(), closed.poll(20, TimeUnit.SECONDS));
            assertEquals(Set.of(second.id()), server.clients().keySet());
            assertEquals(2, clients.size());
        }
    }

    @Test
    void failedStartThenCloseLeavesNoLoopThread() throws Exception {
        Set<Thread> before = loopThreads();
        Set<Thread> closersBefore = closerThreads();
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            EngineServer s = EngineServer.builder().listen("127.0.0.1", taken.getLocalPort()).eventLoops(2).build();
            assertThrows(IllegalStateException.class, s::port, "not started yet");
            assertThrows(IOException.class, s::start);
            assertEquals(List.of(), s.addresses(), "a failed start binds nothing");
            assertThrows(IllegalStateException.class, s::port, "a failed start binds nothing");
            s.close();
            Set<Thread> after = loopThreads();
            after.removeAll(before);
            // close() returns once every loop has terminated; its thread may still be on its way out: each must end
            for (Thread t : after) {
                t.join(TimeUnit.SECONDS.toMillis(20));
            }
            assertEquals(Set.of(), after.stream().filter(Thread::isAlive).map(Thread::getName)
                    .collect(Collectors.toSet()), "loop threads left running by the failed start");
            Set<Thread> closers = closerThreads();
            closers.removeAll(closersBefore);
            assertEquals(Set.of(), closers, "close() off the loops closes in place, with no background closer");
        }
    }

    private static Set<Thread> closerThreads() {
        Set<Thread> s = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().equals("engineio-close")) {
                s.add(t);
            }
        }
        return s;
    }

    private static Set<Thread> loopThreads() {
        Set<Thread> s = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && t.getName().startsWith("engineio-loop-")) {
                s.add(t);
            }
        }
        return s;
    }

    @Test
    void snapshotOfAServerWithoutSessionsIsEmptyAndImmutable() throws Exception {
        start(1000);
        Map<String, EngineSocket> c = server.clients();
        assertTrue(c.isEmpty());
        assertNull(c.get("x"));
        assertThrows(UnsupportedOperationException.class, () -> c.put("x", null));
    }
}
