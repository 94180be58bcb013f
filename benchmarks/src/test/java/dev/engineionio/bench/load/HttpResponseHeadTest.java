package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseHeadTest {

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void switchingProtocolsAtEverySplitPoint() {
        String head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "sec-websocket-accept:  s3pPLMBiTxaQ9kYGzzhZRbK+xOo= \r\n\r\n";
        String all = head + "\u0081\u0003abc";
        for (int split = 0; split < head.length(); split++) {
            HttpResponseHead h = new HttpResponseHead();
            ByteBuffer part = ascii(all.substring(0, split));
            assertEquals(HttpResponseHead.NEED_MORE, h.parse(part), "split " + split);
        }
        HttpResponseHead h = new HttpResponseHead();
        ByteBuffer buf = ascii(all);
        assertEquals(head.length(), h.parse(buf));
        assertEquals(0, buf.position(), "parse does not move the position");
        assertEquals(101, h.status);
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", StandardCharsets.ISO_8859_1
                .decode(buf.slice(h.acceptStart, h.acceptLength)).toString());
        assertEquals(-1, h.contentLength);
        assertFalse(h.connectionClose);
    }

    @Test
    void contentLengthChunkedAndClose() {
        HttpResponseHead h = new HttpResponseHead();
        ByteBuffer buf = ascii("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nCONTENT-LENGTH: 2\r\n"
                + "Connection: close\r\n\r\nok");
        assertEquals(buf.limit() - 2, h.parse(buf));
        assertEquals(200, h.status);
        assertEquals(2, h.contentLength);
        assertTrue(h.connectionClose);
        assertFalse(h.chunked);
        assertEquals(-1, h.acceptStart);
        h.parse(ascii("HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertEquals(400, h.status);
        assertTrue(h.chunked);
    }

    @Test
    void malformedHeads() {
        assertEquals(HttpResponseHead.MALFORMED, new HttpResponseHead().parse(ascii("HTTP/2.0 200 OK\r\n\r\n")));
        assertEquals(HttpResponseHead.MALFORMED, new HttpResponseHead().parse(ascii("HTTP/1.1 2x0 OK\r\n\r\n")));
        assertEquals(HttpResponseHead.MALFORMED, new HttpResponseHead().parse(ascii("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n")));
        assertEquals(HttpResponseHead.MALFORMED,
                new HttpResponseHead().parse(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\n")));
        assertEquals(HttpResponseHead.MALFORMED,
                new HttpResponseHead().parse(ascii("HTTP/1.1 200 OK\r\nContent-Length: 9999999999999999999\r\n\r\n")));
    }
}
