package dev.engineionio.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpRequestParserTest {
    private static final byte[] WEBSOCKET = HttpResponseWriter.ascii("websocket");
    private static final byte[] UPGRADE = HttpResponseWriter.ascii("upgrade");

    private static ByteBuffer buf(String s, boolean direct) {
        return ParserHarness.buffer(s.getBytes(StandardCharsets.ISO_8859_1), direct);
    }

    private static String str(ByteBuffer b, int start, int len) {
        return HttpBytes.latin1(b, start, len);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void exposesRequestLineSpansAndKnownHeaders(boolean direct) {
        ByteBuffer b = buf("POST /engine.io/?EIO=4&transport=polling&sid=xyz HTTP/1.1\r\n"
                + "host: example.com\r\nContent-Type: text/plain;charset=UTF-8\r\nX-Custom: 1\r\n"
                + "COOKIE: io=xyz\r\nContent-Length: 3\r\n\r\n1:6", direct);
        HttpRequestParser p = new HttpRequestParser();
        int start = b.position();
        assertEquals(HttpRequestParser.HEAD, p.parse(b));
        assertSame(HttpMethod.POST, p.method());
        assertEquals("POST", str(b, p.methodStart(), p.methodLength()));
        assertEquals("/engine.io/", str(b, p.pathStart(), p.pathLength()));
        assertEquals("EIO=4&transport=polling&sid=xyz", str(b, p.queryStart(), p.queryLength()));
        assertEquals(1, p.versionMinor());
        assertEquals(5, p.headerCount());
        assertEquals(0, p.headerIndex(KnownHeader.HOST));
        assertEquals(1, p.headerIndex(KnownHeader.CONTENT_TYPE));
        assertEquals(3, p.headerIndex(KnownHeader.COOKIE));
        assertEquals(-1, p.headerIndex(KnownHeader.ORIGIN));
        assertNull(p.headerKnown(2));
        assertSame(KnownHeader.COOKIE, p.headerKnown(3));
        assertEquals("X-Custom", str(b, p.headerNameStart(2), p.headerNameLength(2)));
        assertEquals("io=xyz", str(b, p.headerValueStart(3), p.headerValueLength(3)));
        assertEquals(3, p.contentLength());
        assertEquals(start + p.headLength(), b.position());
        assertThrows(IndexOutOfBoundsException.class, () -> p.headerNameStart(5));
        assertEquals(HttpRequestParser.BODY, p.parse(b));
        assertEquals("1:6", str(b, p.bodyStart(), p.bodyLength()));
        assertEquals(HttpRequestParser.END, p.parse(b));
        assertTrue(p.isIdle());
        assertEquals(HttpRequestParser.NEED_MORE, p.parse(b));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void absoluteFormSplitsAuthorityFromPath(boolean direct) {
        ByteBuffer b = buf("GET http://h:1/p/q?x=1 HTTP/1.1\r\nHost: h\r\n\r\n", direct);
        HttpRequestParser p = new HttpRequestParser();
        assertEquals(HttpRequestParser.REQUEST, p.parse(b));
        assertEquals("/p/q", str(b, p.pathStart(), p.pathLength()));
        assertEquals("x=1", str(b, p.queryStart(), p.queryLength()));
        ByteBuffer c = buf("GET /plain HTTP/1.1\r\nHost: h\r\n\r\n", direct);
        assertEquals(HttpRequestParser.REQUEST, p.parse(c));
        assertEquals(-1, p.queryStart());
        assertEquals(0, p.queryLength());
        assertEquals("/plain", str(c, p.pathStart(), p.pathLength()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void consumesNothingOfAnIncompleteHeadAndResumesAfterCompaction(boolean direct) {
        String req = "GET / HTTP/1.1\r\nHost: a\r\nUser-Agent: test\r\n\r\n";
        HttpRequestParser p = new HttpRequestParser();
        ByteBuffer first = buf(req.substring(0, 30), direct);
        int pos = first.position();
        assertEquals(HttpRequestParser.NEED_MORE, p.parse(first));
        assertEquals(pos, first.position(), "head bytes stay unconsumed");
        assertFalse(p.isIdle());
        // The driver compacts: the unconsumed bytes now start at index 0 of a different buffer.
        ByteBuffer second = direct ? ByteBuffer.allocateDirect(req.length()) : ByteBuffer.allocate(req.length());
        second.put(req.getBytes(StandardCharsets.ISO_8859_1)).flip();
        assertEquals(HttpRequestParser.REQUEST, p.parse(second));
        assertEquals(req.length(), second.position());
        assertEquals("test", str(second, p.headerValueStart(1), p.headerValueLength(1)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void deliversBodyBytesAsTheyArrive(boolean direct) {
        HttpRequestParser p = new HttpRequestParser();
        ByteBuffer b = buf("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc", direct);
        assertEquals(HttpRequestParser.HEAD, p.parse(b));
        assertEquals(HttpRequestParser.BODY, p.parse(b));
        assertEquals("abc", str(b, p.bodyStart(), p.bodyLength()));
        assertEquals(b.limit(), b.position(), "body bytes are consumed at once");
        assertEquals(HttpRequestParser.NEED_MORE, p.parse(b));
        ByteBuffer c = buf("defghijGET", direct);
        assertEquals(HttpRequestParser.BODY, p.parse(c));
        assertEquals("defghij", str(c, p.bodyStart(), p.bodyLength()));
        assertEquals(HttpRequestParser.END, p.parse(c));
        assertEquals("GET", str(c, c.position(), c.remaining()), "the next request's bytes are untouched");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void keepAliveServesManyRequestsWithOneParser(boolean direct) {
        HttpRequestParser p = new HttpRequestParser();
        for (int n = 0; n < 50; n++) {
            ByteBuffer b = buf("POST /" + n + " HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx", direct);
            assertEquals(HttpRequestParser.HEAD, p.parse(b));
            assertEquals("/" + n, str(b, p.pathStart(), p.pathLength()));
            assertTrue(p.isKeepAlive());
            assertEquals(HttpRequestParser.BODY, p.parse(b));
            assertEquals(HttpRequestParser.END, p.parse(b));
            ByteBuffer g = buf("GET /g HTTP/1.0\r\n\r\n", direct);
            assertEquals(HttpRequestParser.REQUEST, p.parse(g));
            assertFalse(p.isKeepAlive());
            assertEquals(-1, p.contentLength(), "no state leaks from the previous request");
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pipelinedRequestsInOneReadComeOutOneCallAtATime(boolean direct) {
        StringBuilder s = new StringBuilder();
        for (int n = 0; n < 10; n++) {
            s.append("GET /").append(n).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        ByteBuffer b = buf(s.toString(), direct);
        HttpRequestParser p = new HttpRequestParser();
        for (int n = 0; n < 10; n++) {
            assertEquals(HttpRequestParser.REQUEST, p.parse(b));
            assertEquals("/" + n, str(b, p.pathStart(), p.pathLength()));
        }
        assertEquals(HttpRequestParser.NEED_MORE, p.parse(b));
        assertFalse(b.hasRemaining());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void upgradeStopsAtTheEndOfTheHeadAndIsTerminalUntilReset(boolean direct) {
        String head = "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        ByteBuffer b = buf(head + "\u0081\u0080FRAME", direct);
        int start = b.position();
        HttpRequestParser p = new HttpRequestParser();
        assertEquals(HttpRequestParser.UPGRADE, p.parse(b));
        assertEquals(start + head.length(), b.position());
        assertTrue(p.isUpgradeRequested());
        int u = p.headerIndex(KnownHeader.UPGRADE);
        assertTrue(HttpBytes.containsToken(b, p.headerValueStart(u), p.headerValueLength(u), WEBSOCKET));
        int c = p.headerIndex(KnownHeader.CONNECTION);
        assertTrue(HttpBytes.containsToken(b, p.headerValueStart(c), p.headerValueLength(c), UPGRADE));
        int k = p.headerIndex(KnownHeader.SEC_WEBSOCKET_KEY);
        assertEquals("dGhlIHNhbXBsZSBub25jZQ==", str(b, p.headerValueStart(k), p.headerValueLength(k)));
        assertEquals(HttpRequestParser.UPGRADE, p.parse(b));
        assertEquals(start + head.length(), b.position(), "nothing after the head is consumed");
        p.reset();
        assertEquals(HttpRequestParser.REQUEST, p.parse(buf("GET / HTTP/1.1\r\nHost: a\r\n\r\n", direct)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void errorIsTerminalConsumesNothingAndResetRecovers(boolean direct) {
        HttpRequestParser p = new HttpRequestParser();
        ByteBuffer b = buf("GET / HTTP/1.1\r\nHost : a\r\n\r\n", direct);
        int start = b.position();
        assertEquals(HttpRequestParser.ERROR, p.parse(b));
        assertSame(HttpError.WHITESPACE_BEFORE_COLON, p.error());
        assertEquals(400, p.error().status());
        assertEquals(start, b.position());
        assertEquals(HttpRequestParser.ERROR, p.parse(buf("GET / HTTP/1.1\r\nHost: a\r\n\r\n", direct)));
        p.reset();
        assertNull(p.error());
        assertEquals(HttpRequestParser.REQUEST, p.parse(buf("GET / HTTP/1.1\r\nHost: a\r\n\r\n", direct)));
    }

    private static String line(int length) {
        // "GET /" + a's + " HTTP/1.1" has the requested length.
        return "GET /" + "a".repeat(length - 14) + " HTTP/1.1";
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void defaultRequestLineLimitIsEightKibibytes(boolean direct) {
        int limit = HttpLimits.DEFAULTS.maxRequestLineLength();
        assertEquals(8192, limit);
        for (int len : new int[] {limit - 1, limit, limit + 1}) {
            HttpRequestParser p = new HttpRequestParser();
            int ev = p.parse(buf(line(len) + "\r\nHost: a\r\n\r\n", direct));
            if (len <= limit) {
                assertEquals(HttpRequestParser.REQUEST, ev, "length " + len);
            } else {
                assertEquals(HttpRequestParser.ERROR, ev);
                assertSame(HttpError.REQUEST_LINE_TOO_LONG, p.error());
                assertEquals(414, p.error().status());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void defaultHeaderSectionLimitIsSixteenKibibytes(boolean direct) {
        int limit = HttpLimits.DEFAULTS.maxHeaderSectionSize();
        assertEquals(16384, limit);
        for (int size : new int[] {limit - 1, limit, limit + 1}) {
            // "Host: a\r\n" (9) + "X: " + v + "\r\n" (5 + v) + "\r\n" (2) = size
            String section = "Host: a\r\nX: " + "v".repeat(size - 16) + "\r\n\r\n";
            assertEquals(size, section.length());
            HttpRequestParser p = new HttpRequestParser();
            int ev = p.parse(buf("GET / HTTP/1.1\r\n" + section, direct));
            if (size <= limit) {
                assertEquals(HttpRequestParser.REQUEST, ev, "size " + size);
            } else {
                assertSame(HttpError.HEADER_SECTION_TOO_LARGE, p.error());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void defaultHeaderCountLimitIsOneHundred(boolean direct) {
        assertEquals(100, HttpLimits.DEFAULTS.maxHeaderCount());
        for (int count : new int[] {99, 100, 101}) {
            StringBuilder s = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
            for (int n = 1; n < count; n++) {
                s.append("X-").append(n).append(": v\r\n");
            }
            HttpRequestParser p = new HttpRequestParser();
            int ev = p.parse(buf(s.append("\r\n").toString(), direct));
            if (count <= 100) {
                assertEquals(HttpRequestParser.REQUEST, ev);
                assertEquals(count, p.headerCount());
            } else {
                assertSame(HttpError.TOO_MANY_HEADERS, p.error());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void defaultBodyLimitIsOneMebibyte(boolean direct) {
        long limit = HttpLimits.DEFAULTS.maxBodySize();
        assertEquals(1 << 20, limit);
        HttpRequestParser p = new HttpRequestParser();
        assertEquals(HttpRequestParser.HEAD,
                p.parse(buf("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + limit + "\r\n\r\n", direct)));
        p.reset();
        assertEquals(HttpRequestParser.ERROR,
                p.parse(buf("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + (limit + 1) + "\r\n\r\n", direct)));
        assertSame(HttpError.BODY_TOO_LARGE, p.error());
        assertEquals(413, p.error().status());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void everyKnownHeaderIsFoundInAnyCase(boolean direct) {
        for (KnownHeader k : KnownHeader.values()) {
            String name = k.lowerCaseName();
            String mixed = name.toUpperCase().charAt(0) + name.substring(1);
            for (String n : new String[] {name, name.toUpperCase(), mixed}) {
                HttpRequestParser p = new HttpRequestParser();
                String value = k == KnownHeader.CONTENT_LENGTH ? "0" : k == KnownHeader.EXPECT ? "100-continue"
                        : k == KnownHeader.TRANSFER_ENCODING ? "chunked" : "v";
                String host = k == KnownHeader.HOST ? "" : "Host: a\r\n";
                int ev = p.parse(buf("POST / HTTP/1.1\r\n" + host + n + ": " + value + "\r\n\r\n", direct));
                assertTrue(ev == HttpRequestParser.REQUEST || ev == HttpRequestParser.HEAD, n + " -> " + ev);
                int idx = p.headerIndex(k);
                assertTrue(idx >= 0, n);
                assertSame(k, p.headerKnown(idx));
            }
        }
        HttpRequestParser p = new HttpRequestParser();
        assertEquals(HttpRequestParser.REQUEST, p.parse(buf("GET / HTTP/1.1\r\nHost: a\r\nHosts: b\r\nhost-: c\r\n"
                + "Content-Lengtx: 1\r\nX-Forwarded-Fo: 1\r\n\r\n", direct)));
        for (int i = 1; i < p.headerCount(); i++) {
            assertNull(p.headerKnown(i), "near-miss name " + i);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reportsExpectContinueBeforeTheBody(boolean direct) {
        HttpRequestParser p = new HttpRequestParser();
        assertEquals(HttpRequestParser.HEAD, p.parse(buf("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n"
                + "Content-Length: 4\r\n\r\n", direct)));
        assertTrue(p.expectsContinue());
        ByteBuffer out = ByteBuffer.allocate(64);
        assertEquals(25, HttpResponseWriter.writeContinue(out));
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", new String(out.array(), 0, 25, StandardCharsets.US_ASCII));
    }
}
