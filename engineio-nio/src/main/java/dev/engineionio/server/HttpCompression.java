package dev.engineionio.server;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) and deflate (zlib, RFC 1950, as Node's {@code zlib.createDeflate}) of polling answers: the
 * reference's {@code httpCompression}. One instance per loop (its {@link Deflater}s and output array are reused);
 * loop thread only. The output array grows to the largest compressed answer and is kept.
 */
final class HttpCompression {

    static final int NONE = 0;
    static final int GZIP = 1;
    static final int DEFLATE = 2;

    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};

    private final Deflater raw = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Deflater zlib = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
    private final CRC32 crc = new CRC32();
    private byte[] out = new byte[8192];

    /**
     * The encoding to use for an {@code Accept-Encoding} value, as the reference's {@code accepts(req).encodings(
     * ["gzip", "deflate"])}: the acceptable one with the higher q-value, gzip on a tie; {@link #NONE} if neither.
     */
    static int negotiate(String acceptEncoding) {
        if (acceptEncoding == null || acceptEncoding.isEmpty()) {
            return NONE;
        }
        double gzip = -1;
        double deflate = -1;
        double any = -1;
        for (String part : acceptEncoding.split(",")) {
            String[] p = part.trim().split(";");
            String name = p[0].trim().toLowerCase(java.util.Locale.ROOT);
            double q = 1;
            for (int i = 1; i < p.length; i++) {
                String a = p[i].trim();
                if (a.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(a.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            switch (name) {
                case "gzip":
                    gzip = q;
                    break;
                case "deflate":
                    deflate = q;
                    break;
                case "*":
                    any = q;
                    break;
                default:
                    break;
            }
        }
        if (gzip < 0) {
            gzip = any;
        }
        if (deflate < 0) {
            deflate = any;
        }
        if (gzip <= 0 && deflate <= 0) {
            return NONE;
        }
        return gzip >= deflate ? GZIP : DEFLATE;
    }

    /** The compressed bytes of {@code src}'s {@code [position, limit)} are {@code [0, return value)} of {@link #output()}. */
    int compress(int encoding, ByteBuffer src) {
        int n = src.remaining();
        int o = 0;
        Deflater d;
        if (encoding == GZIP) {
            ensure(GZIP_HEADER.length);
            System.arraycopy(GZIP_HEADER, 0, out, 0, GZIP_HEADER.length);
            o = GZIP_HEADER.length;
            crc.reset();
            crc.update(src.duplicate());
            d = raw;
        } else {
            d = zlib;
        }
        d.reset();
        d.setInput(src.duplicate());
        d.finish();
        while (!d.finished()) {
            ensure(o + Math.max(1024, n / 2));
            o += d.deflate(out, o, out.length - o);
        }
        if (encoding == GZIP) {
            ensure(o + 8);
            int c = (int) crc.getValue();
            for (int i = 0; i < 4; i++) {
                out[o++] = (byte) (c >>> (8 * i));
            }
            for (int i = 0; i < 4; i++) {
                out[o++] = (byte) (n >>> (8 * i));
            }
        }
        return o;
    }

    byte[] output() {
        return out;
    }

    private void ensure(int size) {
        if (out.length < size) {
            out = java.util.Arrays.copyOf(out, Math.max(size, out.length * 2));
        }
    }
}
