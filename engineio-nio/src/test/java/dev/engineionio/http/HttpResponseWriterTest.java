package dev.engineionio.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class HttpResponseWriterTest {
    private static final byte[] TEXT_PLAIN = HttpResponseWriter.ascii("text/plain; charset=UTF-8");
    private static final byte[] NO_STORE = HttpResponseWriter.ascii("no-store");

    private static String written(ByteBuffer dst, int from) {
        return HttpBytes.latin1(dst, from, dst.position() - from);
    }

    private static ByteBuffer alloc(int n, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void writesAPollingResponse(boolean direct) {
        ByteBuffer dst = alloc(256, direct);
        dst.position(5);
        int n = new HttpResponseWriter().begin(dst, 200)
                .header(HttpResponseWriter.CONTENT_TYPE, TEXT_PLAIN)
                .header(HttpResponseWriter.CACHE_CONTROL, NO_STORE)
                .header(HttpResponseWriter.SET_COOKIE, "io=abc; Path=/; HttpOnly; SameSite=Lax")
                .header("X-Custom", "1")
                .contentLength(6)
                .connection(true, false)
                .endHeaders()
                .body(HttpResponseWriter.ascii("4hello"))
                .finish();
        String expected = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=UTF-8\r\ncache-control: no-store\r\n"
                + "Set-Cookie: io=abc; Path=/; HttpOnly; SameSite=Lax\r\nX-Custom: 1\r\nContent-Length: 6\r\n\r\n4hello";
        assertEquals(expected, written(dst, 5));
        assertEquals(expected.length(), n);
    }

    @Test
    void connectionFieldFollowsPersistence() {
        HttpResponseWriter w = new HttpResponseWriter();
        ByteBuffer dst = ByteBuffer.allocate(128);
        w.begin(dst, 204).connection(false, false).endHeaders().finish();
        assertEquals("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n", written(dst, 0));
        dst.clear();
        w.begin(dst, 200).connection(true, true).contentLength(0).endHeaders().finish();
        assertEquals("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", written(dst, 0));
        dst.clear();
        w.begin(dst, 200).connection(true, false).contentLength(1234567890123L).endHeaders().finish();
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 1234567890123\r\n\r\n", written(dst, 0));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void allOrNothingWhenTheBufferIsTooSmall(boolean direct) {
        HttpResponseWriter w = new HttpResponseWriter();
        String full = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        for (int cap = 0; cap < full.length(); cap++) {
            ByteBuffer dst = alloc(cap + 3, direct);
            dst.position(3);
            assertEquals(-1, w.begin(dst, 200).contentLength(2).endHeaders().body(HttpResponseWriter.ascii("ok")).finish());
            assertEquals(3, dst.position(), "position restored at capacity " + cap);
        }
        ByteBuffer dst = alloc(full.length(), direct);
        assertEquals(full.length(), w.begin(dst, 200).contentLength(2).endHeaders().body(HttpResponseWriter.ascii("ok")).finish());
        assertEquals(full, written(dst, 0));
        assertEquals(-1, HttpResponseWriter.writeContinue(alloc(24, direct)));
        ByteBuffer small = alloc(10, direct);
        assertEquals(-1, HttpResponseWriter.writeError(small, HttpError.BARE_CR));
    }

    /** Node 20's {@code http.STATUS_CODES} for every status the server may send (the reference writes these). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "100|Continue", "101|Switching Protocols", "200|OK", "201|Created", "204|No Content",
        "301|Moved Permanently", "302|Found", "304|Not Modified", "400|Bad Request", "401|Unauthorized",
        "403|Forbidden", "404|Not Found", "405|Method Not Allowed", "408|Request Timeout", "411|Length Required",
        "413|Payload Too Large", "414|URI Too Long", "415|Unsupported Media Type", "417|Expectation Failed",
        "426|Upgrade Required", "429|Too Many Requests", "431|Request Header Fields Too Large",
        "500|Internal Server Error", "501|Not Implemented", "502|Bad Gateway", "503|Service Unavailable",
        "505|HTTP Version Not Supported"})
    void reasonPhrasesAreNodes(int status, String phrase) {
        assertEquals(phrase, HttpStatus.reasonPhrase(status));
        ByteBuffer dst = ByteBuffer.allocate(128);
        new HttpResponseWriter().begin(dst, status).contentLength(0).connection(true, false).endHeaders().finish();
        assertTrue(written(dst, 0).startsWith("HTTP/1.1 " + status + " " + phrase + "\r\n"), written(dst, 0));
    }

    @Test
    void payloadTooLargeStatusLineIsTheReferences() {
        ByteBuffer dst = ByteBuffer.allocate(512);
        HttpResponseWriter.writeError(dst, HttpError.BODY_TOO_LARGE);
        assertTrue(written(dst, 0).startsWith("HTTP/1.1 413 Payload Too Large\r\n"), written(dst, 0));
    }

    @ParameterizedTest
    @EnumSource(HttpError.class)
    void cannedErrorsCloseAndCarryTheirStatus(HttpError e) {
        ByteBuffer dst = ByteBuffer.allocate(512);
        int n = HttpResponseWriter.writeError(dst, e);
        String s = written(dst, 0);
        assertEquals(s.length(), n);
        assertTrue(s.startsWith("HTTP/1.1 " + e.status() + " " + HttpStatus.reasonPhrase(e.status()) + "\r\n"), s);
        assertTrue(s.contains("\r\nConnection: close\r\n"), s);
        assertTrue(s.endsWith("Content-Length: " + e.reason().length() + "\r\n\r\n" + e.reason()), s);
        assertEquals(s.length() - e.reason().length() - 4, s.indexOf("\r\n\r\n"), "one empty line, before the body");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void switchingProtocolsSkeletonForTheWebSocketLayer(boolean direct) {
        ByteBuffer req = ParserHarness.buffer(("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Protocol: chat\r\n\r\n").getBytes(StandardCharsets.US_ASCII), direct);
        HttpRequestParser p = new HttpRequestParser();
        assertEquals(HttpRequestParser.UPGRADE, p.parse(req));
        int proto = p.headerIndex(KnownHeader.SEC_WEBSOCKET_PROTOCOL);
        ByteBuffer dst = alloc(256, direct);
        int n = new HttpResponseWriter().beginSwitchingProtocols(dst, HttpResponseWriter.WEBSOCKET)
                .header(HttpResponseWriter.SEC_WEBSOCKET_ACCEPT, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
                .header(HttpResponseWriter.SEC_WEBSOCKET_PROTOCOL, req, p.headerValueStart(proto), p.headerValueLength(proto))
                .endHeaders().finish();
        String expected = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: chat\r\n\r\n";
        assertEquals(expected, written(dst, 0));
        assertEquals(expected.length(), n);
    }

    @Test
    void dateIsAnImfFixdateFromTheCallersClock() {
        HttpResponseWriter w = new HttpResponseWriter();
        ByteBuffer dst = ByteBuffer.allocate(128);
        w.begin(dst, 200).date(784111777000L).finish();
        assertEquals("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n", written(dst, 0));
        for (long t : new long[] {0L, 951782400000L, 1709164800000L, 4102444799000L, 1764028800123L}) {
            dst.clear();
            w.begin(dst, 200).date(t).finish();
            String expected = "Date: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(java.time.Instant.ofEpochMilli(t).atZone(java.time.ZoneOffset.UTC)) + "\r\n";
            String got = written(dst, 0);
            // RFC_1123_DATE_TIME omits the leading zero of the day; IMF-fixdate requires it.
            assertEquals(expected.replaceFirst(", (\\d) ", ", 0$1 "), got.substring(got.indexOf("Date: ")), "t=" + t);
        }
    }

    @Test
    void rejectsResponseSplittingAndBadNames() {
        HttpResponseWriter w = new HttpResponseWriter();
        ByteBuffer dst = ByteBuffer.allocate(256);
        w.begin(dst, 200);
        assertThrows(IllegalArgumentException.class, () -> w.header(HttpResponseWriter.SET_COOKIE, "a\r\nX: evil"));
        assertThrows(IllegalArgumentException.class, () -> w.header(HttpResponseWriter.SET_COOKIE, "a\nb"));
        assertThrows(IllegalArgumentException.class, () -> w.header(HttpResponseWriter.SET_COOKIE, "\u0100"));
        assertThrows(IllegalArgumentException.class, () -> w.header("Bad Name", "v"));
        assertThrows(IllegalArgumentException.class, () -> w.header(new byte[0], NO_STORE));
        assertThrows(IllegalArgumentException.class, () -> w.begin(dst, 99));
        assertEquals("HTTP/1.1 200 OK\r\n".length(), w.finish(), "rejected headers wrote nothing");
    }
}
