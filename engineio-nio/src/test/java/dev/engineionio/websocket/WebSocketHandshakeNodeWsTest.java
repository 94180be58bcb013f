package dev.engineionio.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.engineionio.websocket.WebSocketHandshake.Outcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link WebSocketHandshake#validateAsNodeWs} and {@link WebSocketHandshake#writeNodeWsRejection}: npm ws 8.21's
 * {@code handleUpgrade} checks, order and answers. The expected bytes were read from the live reference (engine.io
 * 6.6.12 on ws 8.21.3) with raw sockets.
 */
class WebSocketHandshakeNodeWsTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static List<String[]> headers() {
        List<String[]> h = new ArrayList<>();
        h.add(new String[] {"Host", "x"});
        h.add(new String[] {"Upgrade", "websocket"});
        h.add(new String[] {"Connection", "Upgrade"});
        h.add(new String[] {"Sec-WebSocket-Key", KEY});
        h.add(new String[] {"Sec-WebSocket-Version", "13"});
        return h;
    }

    private static List<String[]> with(List<String[]> h, String name, String value) {
        h.add(new String[] {name, value});
        return h;
    }

    private static List<String[]> without(String name) {
        List<String[]> h = headers();
        h.removeIf(x -> x[0].equalsIgnoreCase(name));
        return h;
    }

    /** Feeds through the span API (one direct buffer) and through the CharSequence API; both must agree. */
    private static Outcome validate(WebSocketHandshake hs, String method, String version, List<String[]> headers,
                                    WebSocketHandshake.SubprotocolSelector selector) {
        StringBuilder sb = new StringBuilder(method).append(version);
        for (String[] h : headers) {
            sb.append(h[0]).append(h[1]);
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocateDirect(all.length);
        buf.put(all).flip();
        hs.reset();
        hs.method(method);
        hs.httpVersion(version);
        for (String[] h : headers) {
            hs.header(h[0], h[1]);
        }
        Outcome viaStrings = hs.validateAsNodeWs(selector);
        hs.reset();
        int at = 0;
        hs.method(buf, at, method.length());
        at += method.length();
        hs.httpVersion(buf, at, version.length());
        at += version.length();
        for (String[] h : headers) {
            hs.header(buf, at, h[0].length(), at + h[0].length(), h[1].length());
            at += h[0].length() + h[1].length();
        }
        Outcome viaSpans = hs.validateAsNodeWs(selector);
        assertEquals(viaSpans, viaStrings, "span and CharSequence forms");
        return viaSpans;
    }

    private static Outcome validate(List<String[]> headers) {
        return validate(new WebSocketHandshake(), "GET", "HTTP/1.1", headers, null);
    }

    private static String rejection(Outcome o) {
        ByteBuffer dst = ByteBuffer.allocate(512);
        int n = WebSocketHandshake.writeNodeWsRejection(dst, o);
        assertEquals(dst.position(), n);
        return new String(dst.array(), 0, n, StandardCharsets.ISO_8859_1);
    }

    @Test
    void acceptsWhatWsAcceptsThoughRfc6455ModeWouldNot() {
        assertEquals(Outcome.ACCEPTED, validate(headers()));
        // ws speaks hybi-08 too, and reads the version as a number
        assertEquals(Outcome.ACCEPTED, validate(with(without("Sec-WebSocket-Version"), "Sec-WebSocket-Version", "8")));
        assertEquals(Outcome.ACCEPTED, validate(with(without("Sec-WebSocket-Version"), "Sec-WebSocket-Version", "013")));
        // ws's key regex does not check the stray low bits of the 22nd character
        List<String[]> strayBits = with(without("Sec-WebSocket-Key"), "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZR==");
        assertEquals(Outcome.ACCEPTED, validate(strayBits));
        WebSocketHandshake rfc = new WebSocketHandshake();
        assertEquals(Outcome.INVALID_KEY, WebSocketHandshakeNodeWsTest.rfcValidate(rfc, strayBits));
        // Node and ws check neither Host, nor the HTTP version, nor Connection
        assertEquals(Outcome.ACCEPTED, validate(without("Host")));
        assertEquals(Outcome.ACCEPTED, validate(new WebSocketHandshake(), "GET", "HTTP/1.0", headers(), null));
        assertEquals(Outcome.ACCEPTED, validate(without("Connection")));
    }

    private static Outcome rfcValidate(WebSocketHandshake hs, List<String[]> headers) {
        hs.reset();
        hs.method("GET");
        hs.httpVersion("HTTP/1.1");
        for (String[] h : headers) {
            hs.header(h[0], h[1]);
        }
        return hs.validate(null);
    }

    @Test
    void computesTheAcceptValueOfAStrayBitsKeyAsWsDoes() {
        WebSocketHandshake hs = new WebSocketHandshake();
        validate(hs, "GET", "HTTP/1.1",
                with(without("Sec-WebSocket-Key"), "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZR=="), null);
        ByteBuffer dst = ByteBuffer.allocate(28);
        hs.writeAcceptValue(dst);
        assertEquals("Zgw8jYXtqX5qJr7MJ1Q/MqzeSRI=", new String(dst.array(), StandardCharsets.US_ASCII));
    }

    @Test
    void checksInWsOrder() {
        // the method first, even with every other header wrong
        List<String[]> allWrong = new ArrayList<>();
        allWrong.add(new String[] {"Upgrade", "foo"});
        assertEquals(Outcome.METHOD_NOT_GET, validate(new WebSocketHandshake(), "POST", "HTTP/1.1", allWrong, null));
        assertEquals(Outcome.MISSING_UPGRADE, validate(allWrong));
        // the key before the version
        List<String[]> noKeyBadVersion = with(without("Sec-WebSocket-Key"), "Sec-WebSocket-Version", "12");
        noKeyBadVersion.removeIf(h -> h[0].equals("Sec-WebSocket-Version") && h[1].equals("13"));
        assertEquals(Outcome.MISSING_KEY, validate(noKeyBadVersion));
        // the version before the subprotocols
        List<String[]> badVersionBadProtocol = with(without("Sec-WebSocket-Version"), "Sec-WebSocket-Version", "12");
        with(badVersionBadProtocol, "Sec-WebSocket-Protocol", "a,,b");
        assertEquals(Outcome.UNSUPPORTED_VERSION, validate(badVersionBadProtocol));
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo", "websocket, foo", "h2c, websocket", "websockets", ""})
    void rejectsAnUpgradeOtherThanExactlyWebsocket(String upgrade) {
        assertEquals(Outcome.MISSING_UPGRADE, validate(with(without("Upgrade"), "Upgrade", upgrade)));
    }

    @Test
    void rejectsUpgradeTwiceOrMissingButTakesAnyCase() {
        assertEquals(Outcome.MISSING_UPGRADE, validate(with(headers(), "Upgrade", "websocket")));
        assertEquals(Outcome.MISSING_UPGRADE, validate(without("Upgrade")));
        assertEquals(Outcome.ACCEPTED, validate(with(without("Upgrade"), "Upgrade", "WebSocket")));
    }

    @Test
    void rejectsMissingDuplicateAndMalformedKeys() {
        assertEquals(Outcome.MISSING_KEY, validate(without("Sec-WebSocket-Key")));
        assertEquals(Outcome.DUPLICATE_KEY, validate(with(headers(), "Sec-WebSocket-Key", KEY)));
        for (String bad : new String[] {"", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZQ===",
            "dGhlIHNhbXBsZSBub25jZ-==", "dGhlIHNhbXBsZSBub25jZQ=x"}) {
            assertEquals(Outcome.INVALID_KEY, validate(with(without("Sec-WebSocket-Key"), "Sec-WebSocket-Key", bad)), bad);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "12", "7", "9", "14", "130", "13, 8", "+13", "1 3", "x"})
    void rejectsVersionsWsRejects(String version) {
        assertEquals(Outcome.UNSUPPORTED_VERSION,
                validate(with(without("Sec-WebSocket-Version"), "Sec-WebSocket-Version", version)));
    }

    @Test
    void rejectsTheVersionTwiceOrMissing() {
        assertEquals(Outcome.UNSUPPORTED_VERSION, validate(with(headers(), "Sec-WebSocket-Version", "13")));
        assertEquals(Outcome.UNSUPPORTED_VERSION, validate(without("Sec-WebSocket-Version")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a, ,b", "a,,b", ",a", "a,", "a, a", "a b", "a;b", "chat, superchat, chat", "\u00e9"})
    void rejectsSubprotocolListsWsCannotParse(String offer) {
        assertEquals(Outcome.INVALID_SUBPROTOCOL_OFFER, validate(with(headers(), "Sec-WebSocket-Protocol", offer)));
    }

    @Test
    void rejectsAnOversizedSubprotocolOffer() {
        String big = "p".repeat(WebSocketHandshake.MAX_SUBPROTOCOL_OFFER_BYTES + 1);
        assertEquals(Outcome.SUBPROTOCOL_OFFER_TOO_LONG, validate(with(headers(), "Sec-WebSocket-Protocol", big)));
        String edge = "p".repeat(WebSocketHandshake.MAX_SUBPROTOCOL_OFFER_BYTES);
        assertEquals(Outcome.ACCEPTED, validate(with(headers(), "Sec-WebSocket-Protocol", edge)));
    }

    @Test
    void echoesTheFirstOfferedSubprotocolAcrossLinesAsWsDoes() {
        WebSocketHandshake hs = new WebSocketHandshake();
        List<String[]> h = with(headers(), "Sec-WebSocket-Protocol", "a ,\tb");
        with(h, "Sec-WebSocket-Protocol", "c");
        assertEquals(Outcome.ACCEPTED, validate(hs, "GET", "HTTP/1.1", h, offered -> true));
        assertEquals("a", hs.selectedSubprotocol().toString());
        // a token repeated on a second line is a duplicate, as Node joins the lines with ", "
        assertEquals(Outcome.INVALID_SUBPROTOCOL_OFFER, validate(with(with(headers(), "Sec-WebSocket-Protocol", "a"),
                "Sec-WebSocket-Protocol", "a")));
        assertEquals(Outcome.ACCEPTED, validate(hs, "GET", "HTTP/1.1", headers(), offered -> true));
        assertNull(hs.selectedSubprotocol());
    }

    @Test
    void writesWsRejectionsByteForByte() {
        assertEquals("HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\nContent-Type: text/html\r\n"
                + "Content-Length: 19\r\n\r\nInvalid HTTP method", rejection(Outcome.METHOD_NOT_GET));
        assertEquals("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\n"
                + "Content-Length: 22\r\n\r\nInvalid Upgrade header", rejection(Outcome.MISSING_UPGRADE));
        String key = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\n"
                + "Content-Length: 43\r\n\r\nMissing or invalid Sec-WebSocket-Key header";
        assertEquals(key, rejection(Outcome.MISSING_KEY));
        assertEquals(key, rejection(Outcome.DUPLICATE_KEY));
        assertEquals(key, rejection(Outcome.INVALID_KEY));
        assertEquals("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\n"
                + "Content-Length: 47\r\nSec-WebSocket-Version: 13, 8\r\n\r\n"
                + "Missing or invalid Sec-WebSocket-Version header", rejection(Outcome.UNSUPPORTED_VERSION));
        String protocol = "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/html\r\n"
                + "Content-Length: 37\r\n\r\nInvalid Sec-WebSocket-Protocol header";
        assertEquals(protocol, rejection(Outcome.INVALID_SUBPROTOCOL_OFFER));
        assertEquals(protocol, rejection(Outcome.SUBPROTOCOL_OFFER_TOO_LONG));
    }

    @Test
    void refusesOutcomesWsNeverGivesAndWritesNothingWithoutRoom() {
        ByteBuffer dst = ByteBuffer.allocate(512);
        assertThrows(IllegalArgumentException.class, () -> WebSocketHandshake.writeNodeWsRejection(dst, Outcome.ACCEPTED));
        assertThrows(IllegalArgumentException.class,
                () -> WebSocketHandshake.writeNodeWsRejection(dst, Outcome.MISSING_HOST));
        ByteBuffer small = ByteBuffer.allocate(40);
        assertEquals(-1, WebSocketHandshake.writeNodeWsRejection(small, Outcome.MISSING_KEY));
        assertEquals(0, small.position());
    }
}
