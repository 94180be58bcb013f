package dev.engineionio.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.engineionio.websocket.WebSocketHandshake.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebSocketHandshakeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static List<String[]> rfcHeaders() {
        List<String[]> h = new ArrayList<>();
        h.add(new String[] {"Host", "server.example.com"});
        h.add(new String[] {"Upgrade", "websocket"});
        h.add(new String[] {"Connection", "Upgrade"});
        h.add(new String[] {"Sec-WebSocket-Key", KEY});
        h.add(new String[] {"Origin", "http://example.com"});
        h.add(new String[] {"Sec-WebSocket-Protocol", "chat, superchat"});
        h.add(new String[] {"Sec-WebSocket-Version", "13"});
        return h;
    }

    /** Feeds through the span API: method, version and every header laid out in one direct buffer. */
    private static Outcome viaSpans(WebSocketHandshake hs, String method, String version, List<String[]> headers,
            WebSocketHandshake.SubprotocolSelector selector) {
        StringBuilder sb = new StringBuilder("##").append(method).append(version);
        for (String[] h : headers) {
            sb.append(h[0]).append(h[1]);
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocateDirect(all.length);
        buf.put(all).flip();
        hs.reset();
        int at = 2;
        hs.method(buf, at, method.length());
        at += method.length();
        hs.httpVersion(buf, at, version.length());
        at += version.length();
        for (String[] h : headers) {
            hs.header(buf, at, h[0].length(), at + h[0].length(), h[1].length());
            at += h[0].length() + h[1].length();
        }
        return hs.validate(selector);
    }

    private static Outcome viaStrings(WebSocketHandshake hs, String method, String version, List<String[]> headers,
            WebSocketHandshake.SubprotocolSelector selector) {
        hs.reset();
        hs.method(method);
        hs.httpVersion(version);
        for (String[] h : headers) {
            hs.header(h[0], h[1]);
        }
        return hs.validate(selector);
    }

    private static void expect(Outcome expected, String method, String version, List<String[]> headers) {
        WebSocketHandshake hs = new WebSocketHandshake();
        assertEquals(expected, viaSpans(hs, method, version, headers, null), "spans");
        assertEquals(expected, viaStrings(hs, method, version, headers, null), "strings");
    }

    private static List<String[]> with(String name, String value) {
        List<String[]> h = without(name);
        if (value != null) {
            h.add(new String[] {name, value});
        }
        return h;
    }

    private static List<String[]> without(String name) {
        List<String[]> h = rfcHeaders();
        h.removeIf(x -> x[0].equals(name));
        return h;
    }

    private static String written(WebSocketHandshake hs) {
        ByteBuffer out = ByteBuffer.allocate(512);
        int n = hs.writeResponse(out);
        assertEquals(n, out.position());
        return new String(out.array(), 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void computesTheRfcExampleAccept() {
        WebSocketHandshake hs = new WebSocketHandshake();
        assertEquals(Outcome.ACCEPTED, viaSpans(hs, "GET", "HTTP/1.1", rfcHeaders(), null));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", written(hs));
        assertNull(hs.selectedSubprotocol());
        ByteBuffer value = ByteBuffer.allocate(28);
        assertEquals(28, hs.writeAcceptValue(value));
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", new String(value.array(), StandardCharsets.US_ASCII));
    }

    @Test
    void agreesWithJdkSha1AndBase64ForManyKeys() throws Exception {
        WebSocketHandshake hs = new WebSocketHandshake();
        java.util.Random r = new java.util.Random(9);
        for (int i = 0; i < 500; i++) {
            byte[] raw = new byte[16];
            r.nextBytes(raw);
            String key = Base64.getEncoder().encodeToString(raw);
            byte[] sha = java.security.MessageDigest.getInstance("SHA-1")
                    .digest((key + WebSocketHandshake.GUID).getBytes(StandardCharsets.US_ASCII));
            String expected = Base64.getEncoder().encodeToString(sha);
            assertEquals(Outcome.ACCEPTED, viaStrings(hs, "GET", "HTTP/1.1", with("Sec-WebSocket-Key", key), null));
            ByteBuffer v = ByteBuffer.allocate(28);
            hs.writeAcceptValue(v);
            assertEquals(expected, new String(v.array(), StandardCharsets.US_ASCII), key);
        }
    }

    @Test
    void negotiatesTheFirstAcceptedSubprotocolInClientOrder() {
        WebSocketHandshake hs = new WebSocketHandshake();
        List<String[]> headers = rfcHeaders();
        headers.add(new String[] {"sec-websocket-protocol", " mqtt ,\twamp"});
        WebSocketHandshake.SubprotocolSelector selector = WebSocketHandshake.SubprotocolSelector.of("wamp", "superchat");
        assertEquals(Outcome.ACCEPTED, viaSpans(hs, "GET", "HTTP/1.1", headers, selector));
        assertEquals("superchat", hs.selectedSubprotocol().toString());
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: superchat\r\n\r\n",
                written(hs));
        assertEquals(Outcome.ACCEPTED, viaStrings(hs, "GET", "HTTP/1.1", headers, WebSocketHandshake.SubprotocolSelector.of("wamp")));
        assertEquals("wamp", hs.selectedSubprotocol().toString());
        assertEquals(Outcome.ACCEPTED, viaStrings(hs, "GET", "HTTP/1.1", headers, offered -> false));
        assertNull(hs.selectedSubprotocol());
    }

    @Test
    void acceptsTokenListsInAnyCaseWithOptionalWhitespace() {
        List<String[]> h = with("Connection", "keep-alive,  UPGRADE ");
        h.removeIf(x -> x[0].equals("Upgrade"));
        h.add(new String[] {"UPGRADE", "h2c, WebSocket"});
        h.add(new String[] {"sec-websocket-key", " " + KEY + "\t"});
        h.removeIf(x -> x[0].equals("Sec-WebSocket-Key"));
        expect(Outcome.ACCEPTED, "GET", "HTTP/1.1", h);
        List<String[]> split = with("Connection", "keep-alive");
        split.add(new String[] {"connection", "upgrade"});
        expect(Outcome.ACCEPTED, "GET", "HTTP/1.1", split);
    }

    @Test
    void rejectsEachBrokenRequirementWithItsStatus() {
        expect(Outcome.METHOD_NOT_GET, "POST", "HTTP/1.1", rfcHeaders());
        expect(Outcome.METHOD_NOT_GET, "get", "HTTP/1.1", rfcHeaders());
        expect(Outcome.BAD_HTTP_VERSION, "GET", "HTTP/1.0", rfcHeaders());
        expect(Outcome.BAD_HTTP_VERSION, "GET", "HTTP/2", rfcHeaders());
        expect(Outcome.MISSING_HOST, "GET", "HTTP/1.1", without("Host"));
        expect(Outcome.MISSING_UPGRADE, "GET", "HTTP/1.1", without("Upgrade"));
        expect(Outcome.MISSING_UPGRADE, "GET", "HTTP/1.1", with("Upgrade", "websockets"));
        expect(Outcome.MISSING_CONNECTION_UPGRADE, "GET", "HTTP/1.1", without("Connection"));
        expect(Outcome.MISSING_CONNECTION_UPGRADE, "GET", "HTTP/1.1", with("Connection", "keep-alive, upgrades"));
        expect(Outcome.UNSUPPORTED_VERSION, "GET", "HTTP/1.1", without("Sec-WebSocket-Version"));
        expect(Outcome.UNSUPPORTED_VERSION, "GET", "HTTP/1.1", with("Sec-WebSocket-Version", "8"));
        expect(Outcome.UNSUPPORTED_VERSION, "GET", "HTTP/1.1", with("Sec-WebSocket-Version", "13, 8"));
        List<String[]> twoVersions = rfcHeaders();
        twoVersions.add(new String[] {"Sec-WebSocket-Version", "7"});
        expect(Outcome.UNSUPPORTED_VERSION, "GET", "HTTP/1.1", twoVersions);
        expect(Outcome.MISSING_KEY, "GET", "HTTP/1.1", without("Sec-WebSocket-Key"));
        List<String[]> twoKeys = rfcHeaders();
        twoKeys.add(new String[] {"Sec-WebSocket-Key", KEY});
        expect(Outcome.DUPLICATE_KEY, "GET", "HTTP/1.1", twoKeys);
        StringBuilder longOffer = new StringBuilder("p");
        while (longOffer.length() <= WebSocketHandshake.MAX_SUBPROTOCOL_OFFER_BYTES) {
            longOffer.append(",p");
        }
        expect(Outcome.SUBPROTOCOL_OFFER_TOO_LONG, "GET", "HTTP/1.1",
                with("Sec-WebSocket-Protocol", longOffer.toString()));
        expect(Outcome.ACCEPTED, "GET", "HTTP/1.1",
                with("Sec-WebSocket-Protocol", "p".repeat(WebSocketHandshake.MAX_SUBPROTOCOL_OFFER_BYTES)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZQ===", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZR==",
        "dGhlIHNhbXBsZSBub25j*Q==", "dGhlIHNhbXBsZSBub25jZ===", "dGhlIHNhbXBsZSBub25jZQ-=", "", "  ",
        "dGhlIHNhbXBsZSBub25jZQ==dGhl", "dGhlIHNhbXBsZSBub25jZ\u00e9==", "dGhlIHNhbXBsZSBub25jZQ",
        "AAAAAAAAAAAAAAAAAAAAAAAAAA==",
    })
    void rejectsKeysThatAreNotBase64OfSixteenBytes(String key) {
        expect(Outcome.INVALID_KEY, "GET", "HTTP/1.1", with("Sec-WebSocket-Key", key));
    }

    @Test
    void acceptsEveryCanonicalLastKeyCharacter() {
        for (char c : new char[] {'A', 'Q', 'g', 'w'}) {
            expect(Outcome.ACCEPTED, "GET", "HTTP/1.1", with("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAA" + c + "=="));
        }
        expect(Outcome.ACCEPTED, "GET", "HTTP/1.1", with("Sec-WebSocket-Key", "+/+/+/+/+/+/+/+/+/+/+w=="));
    }

    @Test
    void treatsOverlongCharSequenceValuesAsInvalid() {
        String huge = "x".repeat(WebSocketHandshake.MAX_VALUE_CHARS + 1);
        expect(Outcome.INVALID_KEY, "GET", "HTTP/1.1", with("Sec-WebSocket-Key", huge));
        expect(Outcome.UNSUPPORTED_VERSION, "GET", "HTTP/1.1", with("Sec-WebSocket-Version", huge));
        expect(Outcome.MISSING_UPGRADE, "GET", "HTTP/1.1", with("Upgrade", huge));
    }

    @Test
    void writesRejectionsWithTheirStatus() {
        Map<Outcome, String> expected = new LinkedHashMap<>();
        for (Outcome o : Outcome.values()) {
            if (o.isAccepted()) {
                continue;
            }
            ByteBuffer out = ByteBuffer.allocate(256);
            int n = WebSocketHandshake.writeRejection(out, o);
            String s = new String(out.array(), 0, n, StandardCharsets.US_ASCII);
            if (o == Outcome.UNSUPPORTED_VERSION) {
                assertEquals(426, o.status());
                assertEquals("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n"
                        + "Content-Length: 0\r\n\r\n", s);
            } else {
                assertEquals(400, o.status());
                assertEquals("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", s);
            }
            expected.put(o, s);
        }
        assertEquals(Outcome.values().length - 1, expected.size());
        assertThrows(IllegalArgumentException.class, () -> WebSocketHandshake.writeRejection(ByteBuffer.allocate(99),
                Outcome.ACCEPTED));
        assertEquals(-1, WebSocketHandshake.writeRejection(ByteBuffer.allocate(10), Outcome.MISSING_KEY));
    }

    @Test
    void refusesToWriteA101ForARejectedRequestAndWritesNothingWithoutRoom() {
        WebSocketHandshake hs = new WebSocketHandshake();
        viaStrings(hs, "GET", "HTTP/1.1", without("Sec-WebSocket-Key"), null);
        assertThrows(IllegalStateException.class, () -> hs.writeResponse(ByteBuffer.allocate(512)));
        assertThrows(IllegalStateException.class, () -> hs.writeHeaderLines(ByteBuffer.allocate(512)));
        viaStrings(hs, "GET", "HTTP/1.1", rfcHeaders(), null);
        ByteBuffer small = ByteBuffer.allocate(50);
        assertEquals(-1, hs.writeResponse(small));
        assertEquals(0, small.position());
        ByteBuffer lines = ByteBuffer.allocate(200);
        assertEquals(hs.headerLinesLength(), hs.writeHeaderLines(lines));
        ByteBuffer status = ByteBuffer.allocate(200);
        assertEquals(34, WebSocketHandshake.writeStatusLine(status));
        hs.reset();
        assertNull(hs.outcome());
    }
}
