package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Engine.IO server over raw loopback sockets, checked against the reference's wire transcripts
 * (/work/shared/reference/engineio-6.6-wire-transcripts.md). Time-dependent behaviour runs on a fake clock; socket
 * timeouts and queue polls are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineHttpTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9_-]{20})\"");

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private EngineServer server;

    private EngineServer start(Consumer<EngineServer.Builder> tweak) throws Exception {
        EngineServer.Builder b = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2).clock(clockNs::get)
                .onConnectionError(e -> events.add("error " + e.code() + " " + e.contextJson()))
                .onConnection(s -> {
                    events.add("connection " + s.transport() + " " + s.protocol());
                    s.onMessage(m -> {
                        if (m.equals("close-me")) {
                            s.close();
                        } else {
                            s.send(m);
                        }
                    });
                    s.onBinary(s::send);
                    s.onUpgrade(t -> events.add("upgrade " + t));
                    s.onClose((r, d) -> events.add("close " + r + (d == null ? "" : " " + d)));
                });
        tweak.accept(b);
        server = b.build().start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String event() throws InterruptedException {
        String e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no server event");
        return e;
    }

    private void advance(long ms) {
        clockNs.addAndGet(ms * 1_000_000L);
        server.wakeLoops();
    }

    private static String sid(RawClient.Response r) {
        Matcher m = SID.matcher(r.text());
        assertTrue(m.find(), r.text());
        return m.group(1);
    }

    private String handshake(RawClient c, String query) throws Exception {
        RawClient.Response r = c.get("/engine.io/?" + query);
        assertEquals(200, r.status, r.toString());
        return sid(r);
    }

    @Test
    void pollingHandshakeV4() throws Exception {
        start(b -> b.pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200)).corsAnyOrigin());
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get("/engine.io/?EIO=4&transport=polling");
            assertEquals(200, r.status);
            assertEquals("text/plain; charset=UTF-8", r.header("content-type"));
            assertEquals("no-store", r.header("cache-control"));
            assertEquals("*", r.header("access-control-allow-origin"));
            String sid = sid(r);
            assertEquals("0{\"sid\":\"" + sid + "\",\"upgrades\":[\"websocket\"],\"pingInterval\":300,\"pingTimeout\":200,"
                    + "\"maxPayload\":1000000}", r.text());
            assertEquals(114, r.body.length);
            assertEquals("connection polling 4", event());
            assertEquals(1, server.clientsCount());
            r = c.get("/engine.io/?EIO=4&transport=polling",
                    "User-Agent: Mozilla/4.0 (compatible; MSIE 8.0;MSIE 8.0; Windows NT 6.1; Trident/4.0)");
            assertEquals("0", r.header("x-xss-protection"));
            r = c.get("/engine.io/?EIO=4&transport=polling", "User-Agent: Mozilla/5.0");
            assertNull(r.header("x-xss-protection"));
        }
    }

    @Test
    void errorCodesAsTheReference() throws Exception {
        start(b -> b.corsAnyOrigin().allowRequest(req -> req.query().contains("deny") ? "custom reject reason" : null));
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get("/engine.io/?transport=polling");
            assertEquals(400, r.status);
            assertEquals("application/json", r.header("content-type"));
            assertEquals("*", r.header("access-control-allow-origin"));
            assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", r.text());
            assertEquals("error 5 {\"protocol\":3}", event());
            r = c.get("/engine.io/?EIO=4&transport=abc");
            assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", r.text());
            assertEquals("error 0 {\"transport\":\"abc\"}", event());
            r = c.get("/engine.io/?EIO=4&transport=websocket");
            assertEquals(400, r.status);
            assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
            event();
            c.send(RawClient.request("POST", "/engine.io/?EIO=4&transport=polling", "4x"));
            r = c.read();
            assertEquals("{\"code\":2,\"message\":\"Bad handshake method\"}", r.text());
            event();
            r = c.get("/engine.io/?EIO=4&transport=polling&sid=doesnotexist");
            assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", r.text());
            assertEquals("error 1 {\"sid\":\"doesnotexist\"}", event());
            r = c.get("/engine.io/?EIO=4&transport=polling&deny=1");
            assertEquals(403, r.status);
            assertEquals("{\"code\":4,\"message\":\"custom reject reason\"}", r.text());
            assertEquals("error 4 {\"message\":\"custom reject reason\"}", event());
            String sid = handshake(c, "EIO=4&transport=polling");
            event();
            c.send(RawClient.request("PUT", "/engine.io/?EIO=4&transport=polling&sid=" + sid, ""));
            r = c.read();
            assertEquals(500, r.status);
            assertEquals(0, r.body.length);
            r = c.get("/engine.io/?EIO=4&transport=websocket&sid=" + sid);
            assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
            assertEquals("error 3 {\"name\":\"TRANSPORT_MISMATCH\",\"transport\":\"websocket\",\"previousTransport\":\"polling\"}",
                    event());
            r = c.get("/engine.io/?EIO=3&transport=polling&sid=" + sid);
            assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
            // outside the path: the fallback handler (404 by default)
            assertEquals(404, c.get("/engine.io?EIO=4&transport=polling").status);
        }
    }

    @Test
    void postThenGetEchoesAndPipelinedRequestsAreAnsweredInOrder() throws Exception {
        start(b -> { });
        try (RawClient c = new RawClient(server.port())) {
            String sid = handshake(c, "EIO=4&transport=polling");
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
            RawClient.Response r = c.post(q, "4hello\u001ebAQIDBA==\u001e4é€😀");
            assertEquals(200, r.status);
            assertEquals("text/html", r.header("content-type"));
            assertEquals("ok", r.text());
            r = c.get(q);
            assertEquals("4hello\u001ebAQIDBA==\u001e4é€😀", r.text());
            assertEquals(27, r.body.length);
            // a POST and a GET in one segment: answered in order on the same connection
            c.send(RawClient.request("POST", q, "4pipelined") + RawClient.request("GET", q, null));
            assertEquals("ok", c.read().text());
            assertEquals("4pipelined", c.read().text());
        }
    }

    @Test
    void protocolV3WithAllowEio3() throws Exception {
        start(b -> b.allowEIO3(true));
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get("/engine.io/?EIO=3&transport=polling");
            String sid = sid(r);
            assertEquals("118:0{\"sid\":\"" + sid + "\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,"
                    + "\"pingTimeout\":20000,\"maxPayload\":1000000}", r.text());
            assertEquals("connection polling 3", event());
            String q = "/engine.io/?EIO=3&transport=polling&sid=" + sid;
            assertEquals("ok", c.post(q, "6:4hello2:4é").text());
            assertEquals("6:4hello2:4é", c.get(q).text());
            // a binary packet comes back as a v3 binary payload
            assertEquals("ok", c.post(q, "6:b4AQID").text());
            r = c.get(q);
            assertEquals("application/octet-stream", r.header("content-type"));
            assertEquals(java.util.Arrays.toString(new byte[] {1, 4, (byte) 0xFF, 4, 1, 2, 3}),
                    java.util.Arrays.toString(r.body));
            // only EIO=3 exactly is protocol 3 (deviation kept for the engine.io protocol test suite)
            r = c.get("/engine.io/?transport=polling");
            assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", r.text());
        }
    }

    @Test
    void httpCompressionGzipAndDeflate() throws Exception {
        start(b -> { });
        try (RawClient c = new RawClient(server.port())) {
            String sid = handshake(c, "EIO=4&transport=polling");
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
            String msg = "4" + "z".repeat(2000);
            assertEquals("ok", c.post(q, msg).text());
            RawClient.Response r = c.get(q, "Accept-Encoding: gzip, deflate");
            assertEquals("gzip", r.header("content-encoding"));
            assertEquals(msg, new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(r.body))
                    .readAllBytes(), StandardCharsets.UTF_8));
            assertEquals("ok", c.post(q, msg).text());
            r = c.get(q, "Accept-Encoding: deflate");
            assertEquals("deflate", r.header("content-encoding"));
            assertEquals(msg, new String(new java.util.zip.InflaterInputStream(new java.io.ByteArrayInputStream(r.body))
                    .readAllBytes(), StandardCharsets.UTF_8));
            // below the threshold: identity
            assertEquals("ok", c.post(q, "4small").text());
            r = c.get(q, "Accept-Encoding: gzip");
            assertNull(r.header("content-encoding"));
            assertEquals("4small", r.text());
        }
    }

    @Test
    void handshakeHeadersQueryAndForwardedAddress() throws Exception {
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        EngineServer.Builder b = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).trustForwardedFor(true)
                .onConnection(s -> seen.add(s.handshakeHeaders().get("x-test") + " " + s.handshakeQuery().get("foo")
                        + " " + s.handshakeQuery().get("EIO") + " " + s.remoteIp() + " " + s.id().length()));
        server = b.build().start();
        try (RawClient c = new RawClient(server.port())) {
            c.get("/engine.io/?EIO=4&transport=polling&foo=b%20r", "X-Test: one", "X-test: two",
                    "X-Forwarded-For: 203.0.113.7, 10.0.0.1");
            assertEquals("[one, two] b r 4 203.0.113.7 20", seen.poll(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void expectContinueIsAnswered() throws Exception {
        start(b -> { });
        try (RawClient c = new RawClient(server.port())) {
            String sid = handshake(c, "EIO=4&transport=polling");
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
            c.send("POST " + q + " HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", c.readLine());
            assertEquals("", c.readLine());
            c.send("4ab");
            assertEquals("ok", c.read().text());
            assertEquals("4ab", c.get(q).text());
        }
    }

    @Test
    void jsonp() throws Exception {
        start(b -> b.corsAnyOrigin());
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get("/engine.io/?EIO=4&transport=polling&j=3");
            assertEquals("text/plain; charset=UTF-8", r.header("content-type"));
            Matcher m = Pattern.compile("\\\\\"sid\\\\\":\\\\\"([A-Za-z0-9_-]{20})").matcher(r.text());
            assertTrue(m.find(), r.text());
            String sid = m.group(1);
            assertEquals("___eio[3](\"0{\\\"sid\\\":\\\"" + sid + "\\\",\\\"upgrades\\\":[\\\"websocket\\\"],"
                    + "\\\"pingInterval\\\":25000,\\\"pingTimeout\\\":20000,\\\"maxPayload\\\":1000000}\");", r.text());
            String q = "/engine.io/?EIO=4&transport=polling&j=3&sid=" + sid;
            r = c.post(q, "d=4line1%5Cnline2%20%5C%5Cn%20literal%1E4%3C%2Fscript%3E%E2%80%A8",
                    "Content-Type: application/x-www-form-urlencoded");
            assertEquals("ok", r.text());
            r = c.get(q);
            assertEquals("___eio[3](\"4line1\\nline2 \\\\n literal\\u001e4</script>\\u2028\");", r.text());
            assertEquals(61, r.body.length);
        }
    }

    @Test
    void corsPreflightCookieAndCredentials() throws Exception {
        start(b -> b.cors(List.of("http://example.com"), true).cookie(true).initialPacket("hello-initial")
                .maxHttpBufferSize(100));
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.request("OPTIONS", "/engine.io/?EIO=4&transport=polling", null,
                    "Origin: http://example.com", "Access-Control-Request-Method: POST",
                    "Access-Control-Request-Headers: content-type"));
            RawClient.Response r = c.read();
            assertEquals(204, r.status);
            assertEquals("http://example.com", r.header("access-control-allow-origin"));
            assertEquals("true", r.header("access-control-allow-credentials"));
            assertEquals("GET,HEAD,PUT,PATCH,POST,DELETE", r.header("access-control-allow-methods"));
            assertEquals("content-type", r.header("access-control-allow-headers"));
            r = c.get("/engine.io/?EIO=4&transport=polling", "Origin: http://example.com");
            String sid = sid(r);
            assertEquals("io=" + sid + "; Path=/; HttpOnly; SameSite=Lax", r.header("set-cookie"));
            assertEquals("http://example.com", r.header("access-control-allow-origin"));
            assertEquals("true", r.header("access-control-allow-credentials"));
            assertEquals("Origin", r.header("vary"));
            assertTrue(r.text().endsWith("\"maxPayload\":100}\u001e4hello-initial"), r.text());
            // an origin not in the list: no Allow-Origin, still Vary
            r = c.get("/engine.io/?EIO=4&transport=polling", "Origin: http://evil.example");
            assertNull(r.header("access-control-allow-origin"));
            assertEquals("Origin", r.header("vary"));
        }
    }

    @Test
    void bodyOverMaxHttpBufferSizeIs413AndTheSessionLives() throws Exception {
        start(b -> b.maxHttpBufferSize(100));
        String sid;
        try (RawClient c = new RawClient(server.port())) {
            sid = handshake(c, "EIO=4&transport=polling");
        }
        String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.post(q, "4" + "x".repeat(100));
            assertEquals(413, r.status);
            assertEquals("close", r.header("connection"));
        }
        try (RawClient c = new RawClient(server.port())) {
            // exactly 100 bytes: inclusive limit; 34 three-byte chars: 103 bytes
            assertEquals("ok", c.post(q, "4" + "y".repeat(99)).text());
            assertEquals("4" + "y".repeat(99), c.get(q).text());
        }
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(413, c.post(q, "4" + "€".repeat(34)).status);
        }
        try (RawClient c = new RawClient(server.port())) {
            assertEquals("ok", c.post(q, "4still-alive?").text());
            assertEquals("4still-alive?", c.get(q).text());
        }
    }

    @Test
    void overlappingPollsCloseTheSession() throws Exception {
        start(b -> { });
        try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            String sid = handshake(a, "EIO=4&transport=polling");
            event();
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
            a.send(RawClient.request("GET", q, null)); // held
            // the second connection may be on the other loop: it migrates to the session's loop first. Which of the
            // two GETs the session sees first is a race between connections: one is held and gets the close packet,
            // the other gets an empty 400.
            RawClient.Response rb = b.get(q);
            RawClient.Response ra = a.read();
            String got = ra.status + ":" + ra.text() + " " + rb.status + ":" + rb.text();
            assertTrue(got.equals("200:1 400:") || got.equals("400: 200:1"), got);
            assertEquals("close transport error overlap from client", event());
        }
    }

    @Test
    void heldPollIsReleasedByAMessageFromAnotherConnectionOnAnyLoop() throws Exception {
        start(b -> { });
        try (RawClient a = new RawClient(server.port())) {
            String sid = handshake(a, "EIO=4&transport=polling");
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
            a.send(RawClient.request("GET", q, null));
            for (int i = 0; i < 4; i++) {
                try (RawClient p = new RawClient(server.port())) { // round-robin: half of them on the other loop
                    assertEquals("ok", p.post(q, "4m" + i).text());
                }
                assertEquals("4m" + i, a.read().text());
                a.send(RawClient.request("GET", q, null));
            }
        }
    }

    @Test
    void heartbeatV4OnAFakeClock() throws Exception {
        start(b -> b.pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200)));
        try (RawClient c = new RawClient(server.port())) {
            String sid = handshake(c, "EIO=4&transport=polling");
            event();
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
            c.send(RawClient.request("GET", q, null));
            advance(300);
            assertEquals("2", c.read().text());
            assertEquals("ok", c.post(q, "3").text()); // pong
            c.send(RawClient.request("GET", q, null));
            advance(300);
            assertEquals("2", c.read().text());
            advance(201); // no pong: ping timeout
            assertEquals("close ping timeout", event());
            assertEquals(400, c.get(q).status);
        }
    }

    @Test
    void requestHeaderTimeoutAnswers408() throws Exception {
        start(b -> b.requestHeaderTimeout(java.time.Duration.ofSeconds(10)));
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /engine.io/?EIO=4 HTTP/1.1\r\nHost: x\r\n");
            // wait until the server has seen the partial head: a complete request on another connection is no proof,
            // so poll the guard by advancing the clock in small steps until the answer comes
            String line = null;
            c.socket.setSoTimeout(200);
            for (int i = 0; i < 100 && line == null; i++) {
                advance(10_001);
                try {
                    line = c.readLine();
                } catch (java.net.SocketTimeoutException e) {
                    // not yet
                }
            }
            assertEquals("HTTP/1.1 408 Request Timeout", line);
        }
    }

    @Test
    void upgradeFromPollingOverARawSocket() throws Exception {
        start(b -> { });
        try (RawClient poll = new RawClient(server.port()); RawClient ws = new RawClient(server.port())) {
            String sid = handshake(poll, "EIO=4&transport=polling");
            assertEquals("connection polling 4", event());
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
            poll.send(RawClient.request("GET", q, null)); // held
            RawClient.Response r = ws.upgrade("/engine.io/?EIO=4&transport=websocket&sid=" + sid);
            assertEquals(101, r.status);
            ws.sendText("2probe");
            assertEquals("3probe", ws.readFrame().text());
            // the noop tick (every 100 ms) releases the held GET; the GET races the upgrade on another connection, so
            // move the clock tick by tick until it is answered
            poll.socket.setSoTimeout(200);
            RawClient.Response released = null;
            for (int i = 0; i < 100 && released == null; i++) {
                advance(100);
                try {
                    released = poll.read();
                } catch (java.net.SocketTimeoutException e) {
                    // not held yet
                }
            }
            assertNotNull(released);
            assertEquals("6", released.text());
            poll.socket.setSoTimeout(20_000);
            ws.sendText("5");
            assertEquals("upgrade websocket", event());
            ws.sendText("4over websocket");
            assertEquals("4over websocket", ws.readFrame().text());
            ws.sendFrame(0x2, true, new byte[] {9, 8});
            RawClient.Frame f = ws.readFrame();
            assertEquals(0x2, f.opcode());
            assertEquals(2, f.payload().length);
            // polling is over for this session
            r = poll.get(q);
            assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
            ws.sendText("4close-me");
            RawClient.Frame close = ws.readFrame();
            assertEquals(0x8, close.opcode());
            assertEquals(1005, close.closeCode());
        }
    }

    @Test
    void directWebSocketAndFailedUpgrades() throws Exception {
        start(b -> b.corsAnyOrigin().maxHttpBufferSize(100));
        try (RawClient ws = new RawClient(server.port())) {
            RawClient.Response r = ws.upgrade("/engine.io/?EIO=4&transport=websocket");
            assertEquals(101, r.status);
            assertEquals("*", r.header("access-control-allow-origin"));
            String open = ws.readFrame().text();
            assertTrue(open.startsWith("0{\"sid\":\"") && open.contains("\"upgrades\":[]"), open);
            ws.sendText("4" + "x".repeat(150));
            RawClient.Frame f = ws.readFrame();
            assertEquals(0x8, f.opcode());
            assertEquals(1009, f.closeCode());
        }
        try (RawClient ws = new RawClient(server.port())) {
            ws.send(RawClient.request("GET", "/engine.io/?EIO=4&transport=websocket&sid=nope", null,
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version: 13"));
            assertEquals("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\n"
                    + "Content-Length: 18\r\n\r\nSession ID unknown", new String(ws.readToEof(), StandardCharsets.UTF_8));
        }
        try (RawClient ws = new RawClient(server.port())) {
            ws.send(RawClient.request("GET", "/engine.io/?transport=websocket", null,
                    "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
                    "Sec-WebSocket-Version: 13"));
            assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nAccess-Control-Allow-Origin: *\r\n\r\n"
                    + "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-type: text/html\r\nContent-Length: 28\r\n\r\n"
                    + "Unsupported protocol version", new String(ws.readToEof(), StandardCharsets.UTF_8));
        }
    }
}
