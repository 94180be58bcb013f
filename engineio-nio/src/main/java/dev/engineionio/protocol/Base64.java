package dev.engineionio.protocol;

import java.nio.ByteBuffer;

/**
 * Standard base64 (RFC 4648 section 4, with {@code =} padding) written and read with absolute buffer indices.
 *
 * <p>Decoding copies the leniency of Node.js {@code Buffer.from(s, "base64")}, which the reference uses for
 * {@code b<base64>} packets: characters outside both alphabets (standard and URL-safe) are skipped, decoding stops
 * at the first {@code =}, a final group of 2 or 3 characters yields 1 or 2 bytes and a final lone character yields
 * nothing ({@code "b!!!"} is an empty binary message). {@link #isStrict} tells whether a span is canonical base64
 * (only standard alphabet, length a multiple of 4, padding only at the end), for decoders configured to be strict.
 *
 * <p>Stateless; any thread may use it. Never allocates.
 */
final class Base64 {
    private static final byte[] ENC =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Value of each byte in the standard or URL-safe alphabet, or -1. */
    private static final byte[] DEC = new byte[256];

    static {
        java.util.Arrays.fill(DEC, (byte) -1);
        for (int i = 0; i < 64; i++) {
            DEC[ENC[i]] = (byte) i;
        }
        DEC['-'] = 62;
        DEC['_'] = 63;
    }

    private Base64() {
    }

    /** Encoded size of {@code n} bytes, with padding. */
    static int encodedLength(int n) {
        return (n + 2) / 3 * 4;
    }

    /** Writes the base64 of {@code src[off, off+len)} at {@code dst[index]}; returns the index after it. */
    static int encode(ByteBuffer src, int off, int len, ByteBuffer dst, int index) {
        int end = off + len;
        int i = off;
        int o = index;
        if (dst.order() == java.nio.ByteOrder.BIG_ENDIAN) {
            while (end - i >= 3) {
                int v = (src.get(i) & 0xFF) << 16 | (src.get(i + 1) & 0xFF) << 8 | (src.get(i + 2) & 0xFF);
                dst.putInt(o, (ENC[v >>> 18] & 0xFF) << 24 | (ENC[(v >>> 12) & 63] & 0xFF) << 16
                        | (ENC[(v >>> 6) & 63] & 0xFF) << 8 | (ENC[v & 63] & 0xFF));
                i += 3;
                o += 4;
            }
        }
        while (end - i >= 3) {
            int v = (src.get(i) & 0xFF) << 16 | (src.get(i + 1) & 0xFF) << 8 | (src.get(i + 2) & 0xFF);
            dst.put(o, ENC[v >>> 18]);
            dst.put(o + 1, ENC[(v >>> 12) & 63]);
            dst.put(o + 2, ENC[(v >>> 6) & 63]);
            dst.put(o + 3, ENC[v & 63]);
            i += 3;
            o += 4;
        }
        int rest = end - i;
        if (rest == 1) {
            int v = src.get(i) & 0xFF;
            dst.put(o, ENC[v >>> 2]);
            dst.put(o + 1, ENC[(v << 4) & 63]);
            dst.put(o + 2, (byte) '=');
            dst.put(o + 3, (byte) '=');
            o += 4;
        } else if (rest == 2) {
            int v = (src.get(i) & 0xFF) << 8 | (src.get(i + 1) & 0xFF);
            dst.put(o, ENC[v >>> 10]);
            dst.put(o + 1, ENC[(v >>> 4) & 63]);
            dst.put(o + 2, ENC[(v << 2) & 63]);
            dst.put(o + 3, (byte) '=');
            o += 4;
        }
        return o;
    }

    /** An upper bound of the bytes {@link #decode} writes for {@code len} input characters. */
    static int maxDecodedLength(int len) {
        return len / 4 * 3 + 2;
    }

    /**
     * Decodes {@code src[off, off+len)} leniently (see the class comment) into {@code dst[0..]}; returns the number
     * of bytes written. {@code dst} must hold {@link #maxDecodedLength(int)} bytes.
     */
    static int decode(ByteBuffer src, int off, int len, byte[] dst) {
        int end = off + len;
        int acc = 0;
        int n = 0; // characters in the current group
        int o = 0;
        int i = off;
        if (src.order() == java.nio.ByteOrder.BIG_ENDIAN) {
            // fast path: four valid characters per step; anything else goes to the lenient loop below
            while (end - i >= 4) {
                int w = src.getInt(i);
                int a = DEC[w >>> 24];
                int b = DEC[(w >>> 16) & 0xFF];
                int c = DEC[(w >>> 8) & 0xFF];
                int d = DEC[w & 0xFF];
                if ((a | b | c | d) < 0) {
                    break;
                }
                int v = a << 18 | b << 12 | c << 6 | d;
                dst[o] = (byte) (v >>> 16);
                dst[o + 1] = (byte) (v >>> 8);
                dst[o + 2] = (byte) v;
                o += 3;
                i += 4;
            }
        }
        for (; i < end; i++) {
            int c = src.get(i) & 0xFF;
            int v = DEC[c];
            if (v < 0) {
                if (c == '=') {
                    break;
                }
                continue;
            }
            acc = acc << 6 | v;
            if (++n == 4) {
                dst[o] = (byte) (acc >>> 16);
                dst[o + 1] = (byte) (acc >>> 8);
                dst[o + 2] = (byte) acc;
                o += 3;
                n = 0;
                acc = 0;
            }
        }
        if (n == 2) {
            dst[o++] = (byte) (acc >>> 4);
        } else if (n == 3) {
            dst[o] = (byte) (acc >>> 10);
            dst[o + 1] = (byte) (acc >>> 2);
            o += 2;
        }
        return o;
    }

    /** True if {@code src[off, off+len)} is canonical standard base64: length a multiple of 4, padding only at the end. */
    static boolean isStrict(ByteBuffer src, int off, int len) {
        if ((len & 3) != 0) {
            return false;
        }
        int end = off + len;
        int pad = 0;
        if (len > 0 && src.get(end - 1) == '=') {
            pad = len > 1 && src.get(end - 2) == '=' ? 2 : 1;
        }
        for (int i = off; i < end - pad; i++) {
            int c = src.get(i) & 0xFF;
            if (DEC[c] < 0 || c == '-' || c == '_') {
                return false;
            }
        }
        return true;
    }
}
