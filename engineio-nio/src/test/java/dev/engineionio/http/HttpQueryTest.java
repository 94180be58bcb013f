package dev.engineionio.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpQueryTest {
    private static ByteBuffer buf(String s, boolean direct) {
        return ParserHarness.buffer(s.getBytes(StandardCharsets.UTF_8), direct);
    }

    private static HttpQuery parsed(ByteBuffer b) {
        HttpQuery q = new HttpQuery(64);
        assertNull(q.parse(b, b.position(), b.remaining()));
        return q;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void readsTheEngineIoParametersAsSpans(boolean direct) {
        ByteBuffer b = buf("EIO=4&transport=polling&t=OxYz-12&sid=AbC_dEf&j=0&b64=1&other=x", direct);
        HttpQuery q = parsed(b);
        assertTrue(q.valueEquals(b, QueryParam.EIO, new byte[] {'4'}));
        assertTrue(q.valueEquals(b, QueryParam.TRANSPORT, HttpResponseWriter.ascii("polling")));
        assertEquals("AbC_dEf", q.valueString(b, QueryParam.SID));
        assertEquals("OxYz-12", q.valueString(b, QueryParam.T));
        assertEquals("0", q.valueString(b, QueryParam.J));
        assertEquals("1", q.valueString(b, QueryParam.B64));
        assertEquals(1, q.length(QueryParam.EIO));
        assertEquals((byte) '4', q.byteAt(b, QueryParam.EIO, 0));
        assertFalse(q.isRepeated(QueryParam.SID));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decodesEscapesAndPlusIntoScratch(boolean direct) {
        ByteBuffer b = buf("sid=a%2Bb+c&transport=web%73ocket&%45IO=3&t=%C3%A9", direct);
        HttpQuery q = parsed(b);
        assertEquals("a+b c", q.valueString(b, QueryParam.SID));
        assertTrue(q.valueEquals(b, QueryParam.TRANSPORT, HttpResponseWriter.ascii("websocket")));
        assertTrue(q.has(QueryParam.EIO), "names are decoded too");
        assertEquals("3", q.valueString(b, QueryParam.EIO));
        assertEquals("\u00e9", q.valueString(b, QueryParam.T));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void absentEmptyAndRepeatedParameters(boolean direct) {
        ByteBuffer b = buf("&&EIO&sid=&sid=2&transport=a=b&", direct);
        HttpQuery q = parsed(b);
        assertTrue(q.has(QueryParam.EIO));
        assertEquals(0, q.length(QueryParam.EIO));
        assertEquals("", q.valueString(b, QueryParam.SID));
        assertTrue(q.isRepeated(QueryParam.SID));
        assertEquals("a=b", q.valueString(b, QueryParam.TRANSPORT));
        assertFalse(q.has(QueryParam.J));
        assertEquals(-1, q.length(QueryParam.J));
        assertNull(q.valueString(b, QueryParam.J));
        assertFalse(q.valueEquals(b, QueryParam.J, new byte[0]));
        assertTrue(parsed(buf("", direct)).length(QueryParam.SID) < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sid=%", "sid=%4", "sid=%G1", "sid=%1g", "a=%%41", "x=1&%zz=2", "t=ok%"})
    void malformedEscapesAre400(String query) {
        ByteBuffer b = buf(query, false);
        assertSame(HttpError.INVALID_QUERY_ESCAPE, new HttpQuery(8).parse(b, b.position(), b.remaining()));
        assertEquals(400, HttpError.INVALID_QUERY_ESCAPE.status());
        assertEquals(-1, HttpQuery.decode(b, b.position(), b.remaining(), new byte[32], 0));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void iteratesEveryParameterInOrder(boolean direct) {
        ByteBuffer b = buf("a=1&b&&c=x%20y&=e", direct);
        List<String> seen = new ArrayList<>();
        byte[] scratch = new byte[16];
        HttpQuery.forEach(b, b.position(), b.remaining(), (buf, ns, nl, vs, vl) -> {
            int n = vs < 0 ? -1 : HttpQuery.decode(buf, vs, vl, scratch, 0);
            seen.add(HttpBytes.latin1(buf, ns, nl) + "=" + (n < 0 ? "(none)" : new String(scratch, 0, n, StandardCharsets.UTF_8)));
        });
        assertEquals(List.of("a=1", "b=(none)", "c=x y", "=e"), seen);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void worksOnTheSpanThatTheParserReports(boolean direct) {
        ByteBuffer b = buf("GET /engine.io/?EIO=4&transport=polling&sid=s%3D1 HTTP/1.1\r\nHost: a\r\n\r\n", direct);
        HttpRequestParser p = new HttpRequestParser();
        assertEquals(HttpRequestParser.REQUEST, p.parse(b));
        HttpQuery q = new HttpQuery(HttpLimits.DEFAULTS.maxRequestLineLength());
        assertNull(q.parse(b, p.queryStart(), p.queryLength()));
        assertEquals("s=1", q.valueString(b, QueryParam.SID));
        assertTrue(q.valueEquals(b, QueryParam.EIO, new byte[] {'4'}));
    }
}
