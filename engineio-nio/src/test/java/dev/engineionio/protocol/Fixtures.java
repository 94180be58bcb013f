package dev.engineionio.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: buffers in every shape, a recording handler, a list-backed batch. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concatBytes(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    static String hexOf(ByteBuffer b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int i = off; i < off + len; i++) {
            sb.append(String.format("%02x", b.get(i) & 0xFF));
        }
        return sb.toString();
    }

    /**
     * The bytes in four shapes, each with position at the first byte and limit right after the last, so any read
     * past the input throws: heap at 0, heap slice with array offset and position, direct at 0, direct at 5.
     */
    static List<ByteBuffer> shapes(byte[] bytes) {
        List<ByteBuffer> out = new ArrayList<>();
        out.add(ByteBuffer.wrap(bytes.clone()));
        ByteBuffer big = ByteBuffer.allocate(bytes.length + 16);
        big.position(3);
        ByteBuffer slice = big.slice(); // arrayOffset 3
        slice.position(4);
        slice.put(bytes);
        slice.position(4).limit(4 + bytes.length);
        out.add(slice);
        ByteBuffer d = ByteBuffer.allocateDirect(bytes.length);
        d.put(bytes).flip();
        out.add(d);
        ByteBuffer d5 = ByteBuffer.allocateDirect(bytes.length + 9);
        d5.position(5);
        d5.put(bytes);
        d5.position(5).limit(5 + bytes.length);
        out.add(d5);
        return out;
    }

    /** Records packets as readable strings: {@code MESSAGE "text"} or {@code MESSAGE b[hex]}. */
    static final class Recorder implements PacketHandler {
        final List<String> events = new ArrayList<>();
        final PayloadDecoder decoder;
        int stopAfter = Integer.MAX_VALUE;

        Recorder(PayloadDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public boolean onPacket(PacketType type, boolean binary, ByteBuffer buf, int offset, int length) {
            if (offset < 0 || length < 0 || offset + length > buf.capacity()) {
                throw new AssertionError("span out of the buffer");
            }
            events.add(binary ? type + " b[" + hexOf(buf, offset, length) + "]"
                    : type + " \"" + decoder.string(buf, offset, length) + "\"");
            return events.size() < stopAfter;
        }
    }

    static String text(PacketType t, String s) {
        return t + " \"" + s + "\"";
    }

    static String bin(PacketType t, String hex) {
        return t + " b[" + hex + "]";
    }

    /** One outgoing packet. */
    record Out(PacketType type, String text, byte[] binary) {
        static Out text(PacketType type, String text) {
            return new Out(type, text, null);
        }

        static Out bin(byte[] data) {
            return new Out(PacketType.MESSAGE, null, data);
        }
    }

    /** A batch over a list; binary data handed out as direct or heap buffers with a non-zero position. */
    static final class ListBatch implements PacketBatch {
        final List<Out> packets;
        final List<ByteBuffer> views = new ArrayList<>();

        ListBatch(List<Out> packets, boolean direct) {
            this.packets = packets;
            for (Out o : packets) {
                if (o.binary() == null) {
                    views.add(null);
                    continue;
                }
                ByteBuffer b = direct ? ByteBuffer.allocateDirect(o.binary().length + 2) : ByteBuffer.allocate(o.binary().length + 2);
                b.position(2);
                b.put(o.binary());
                b.position(2);
                views.add(b);
            }
        }

        ListBatch(Out... packets) {
            this(List.of(packets), false);
        }

        @Override
        public int count() {
            return packets.size();
        }

        @Override
        public PacketType type(int i) {
            return packets.get(i).type();
        }

        @Override
        public boolean isBinary(int i) {
            return packets.get(i).binary() != null;
        }

        @Override
        public CharSequence text(int i) {
            return packets.get(i).text();
        }

        @Override
        public ByteBuffer binary(int i) {
            return views.get(i);
        }
    }
}
