package dev.engineionio.websocket;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test helpers: client frames built byte by byte (independently of the code under test) and ways to feed them. */
final class Frames {

    static final int KEY = 0x37FA213D;

    private Frames() {
    }

    /** A client frame with the minimal length encoding and the given mask (null = unmasked). */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, Integer mask) {
        int encoding = payload.length < 126 ? 7 : payload.length <= 0xFFFF ? 16 : 64;
        return frame(fin, rsv, opcode, payload, mask, encoding);
    }

    /** A client frame with a chosen length encoding: 7, 16 or 64 bits (non-minimal allowed). */
    static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, Integer mask, int encoding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = mask == null ? 0 : 0x80;
        long n = payload.length;
        if (encoding == 7) {
            out.write(maskBit | (int) n);
        } else if (encoding == 16) {
            out.write(maskBit | 126);
            out.write((int) (n >>> 8) & 0xFF);
            out.write((int) n & 0xFF);
        } else {
            out.write(maskBit | 127);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (n >>> s) & 0xFF);
            }
        }
        byte[] k = new byte[4];
        if (mask != null) {
            k[0] = (byte) (mask >>> 24);
            k[1] = (byte) (mask >>> 16);
            k[2] = (byte) (mask >>> 8);
            k[3] = (byte) (int) mask;
            out.write(k, 0, 4);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(mask == null ? payload[i] : payload[i] ^ k[i & 3]);
        }
        return out.toByteArray();
    }

    static byte[] masked(int opcode, byte[] payload) {
        return frame(true, 0, opcode, payload, KEY);
    }

    static byte[] masked(boolean fin, int opcode, byte[] payload) {
        return frame(fin, 0, opcode, payload, KEY);
    }

    static byte[] text(String s) {
        return masked(WebSocketOpcodes.TEXT, utf8(s));
    }

    static byte[] close(int code, String reason) {
        byte[] r = utf8(reason);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return masked(WebSocketOpcodes.CLOSE, p);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    static byte[] pattern(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    /**
     * Buffer kinds: heap, direct, little-endian heap, a direct buffer whose data starts at position 5, and a heap
     * slice whose array offset is 5 (so code using {@code array()} must honour {@code arrayOffset()}).
     */
    enum Kind {
        HEAP, DIRECT, HEAP_LITTLE_ENDIAN, DIRECT_OFFSET, HEAP_SLICE;

        /** A buffer holding exactly {@code data} between position and limit; reading past the limit throws. */
        ByteBuffer wrap(byte[] data, int from, int to) {
            int n = to - from;
            ByteBuffer b;
            switch (this) {
                case DIRECT:
                    b = ByteBuffer.allocateDirect(n);
                    break;
                case HEAP_LITTLE_ENDIAN:
                    b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
                    break;
                case HEAP_SLICE: {
                    ByteBuffer big = ByteBuffer.allocate(n + 11);
                    java.util.Arrays.fill(big.array(), (byte) 0xEE);
                    b = big.position(5).limit(5 + n).slice();
                    break;
                }
                case DIRECT_OFFSET: {
                    // Position 5 of a larger buffer, limit at the end of the data: absolute indexing must be honoured.
                    ByteBuffer big = ByteBuffer.allocateDirect(n + 11);
                    for (int i = 0; i < big.capacity(); i++) {
                        big.put(i, (byte) 0xEE);
                    }
                    big.position(5);
                    big.put(data, from, n);
                    big.position(5).limit(5 + n);
                    return big;
                }
                default:
                    b = ByteBuffer.allocate(n);
                    break;
            }
            b.put(data, from, n);
            b.flip();
            return b;
        }
    }

    /** Partitions of [0, n): whole, split at every offset, single bytes, and seeded random partitions. */
    static List<int[]> partitions(int n, long seed, int randomCount) {
        List<int[]> out = new ArrayList<>();
        out.add(new int[] {n});
        for (int i = 1; i < n; i++) {
            out.add(new int[] {i, n});
        }
        if (n > 1) {
            int[] ones = new int[n];
            for (int i = 0; i < n; i++) {
                ones[i] = i + 1;
            }
            out.add(ones);
        }
        Random r = new Random(seed);
        for (int k = 0; k < randomCount && n > 1; k++) {
            List<Integer> cuts = new ArrayList<>();
            int at = 0;
            while (at < n) {
                at = Math.min(n, at + 1 + r.nextInt(Math.max(1, n / 3)));
                cuts.add(at);
            }
            out.add(cuts.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /**
     * Feeds {@code input} to the decoder in chunks ending at {@code cuts}, honouring the driver contract (bytes left
     * unconsumed are presented again first). Stops feeding once the decoder is no longer OPEN.
     *
     * @return total bytes consumed
     */
    static int feed(WebSocketMessageDecoder decoder, byte[] input, int[] cuts, Kind kind) {
        int consumed = 0;
        for (int cut : cuts) {
            if (cut <= consumed) {
                continue;
            }
            ByteBuffer b = kind.wrap(input, consumed, cut);
            int start = b.position();
            int limit = b.limit();
            WebSocketMessageDecoder.State s = decoder.decode(b);
            if (b.limit() != limit || b.position() > limit) {
                throw new AssertionError("decoder moved the limit or over-read");
            }
            consumed += b.position() - start;
            if (s == WebSocketMessageDecoder.State.OPEN && b.hasRemaining()) {
                throw new AssertionError("OPEN decoder left bytes unconsumed");
            }
            if (s != WebSocketMessageDecoder.State.OPEN) {
                break;
            }
        }
        return consumed;
    }
}
