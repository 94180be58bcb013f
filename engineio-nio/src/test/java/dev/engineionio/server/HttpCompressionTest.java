package dev.engineionio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

class HttpCompressionTest {

    @Test
    void negotiatesAsTheReference() {
        assertEquals(HttpCompression.NONE, HttpCompression.negotiate(null));
        assertEquals(HttpCompression.NONE, HttpCompression.negotiate(""));
        assertEquals(HttpCompression.NONE, HttpCompression.negotiate("br, identity"));
        assertEquals(HttpCompression.GZIP, HttpCompression.negotiate("gzip, deflate"));
        assertEquals(HttpCompression.GZIP, HttpCompression.negotiate("deflate, gzip"));
        assertEquals(HttpCompression.DEFLATE, HttpCompression.negotiate("deflate"));
        assertEquals(HttpCompression.DEFLATE, HttpCompression.negotiate("gzip;q=0.5, deflate"));
        assertEquals(HttpCompression.NONE, HttpCompression.negotiate("gzip;q=0, deflate;q=0"));
        assertEquals(HttpCompression.GZIP, HttpCompression.negotiate("*"));
        assertEquals(HttpCompression.DEFLATE, HttpCompression.negotiate("gzip;q=0, *"));
    }

    @Test
    void roundTripsEveryEncodingAndSize() throws Exception {
        HttpCompression c = new HttpCompression();
        Random r = new Random(42);
        for (int size : new int[] {0, 1, 1024, 70_000, 1_000_000}) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) ('a' + r.nextInt(4));
            }
            for (boolean direct : new boolean[] {false, true}) {
                ByteBuffer src = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
                src.put(data).flip();
                int n = c.compress(HttpCompression.GZIP, src);
                byte[] back = new GZIPInputStream(new ByteArrayInputStream(Arrays.copyOf(c.output(), n))).readAllBytes();
                assertEquals(new String(data, StandardCharsets.ISO_8859_1), new String(back, StandardCharsets.ISO_8859_1));
                n = c.compress(HttpCompression.DEFLATE, src);
                back = new InflaterInputStream(new ByteArrayInputStream(Arrays.copyOf(c.output(), n))).readAllBytes();
                assertEquals(size, back.length);
                assertEquals(0, src.position(), "source position untouched");
            }
        }
    }
}
