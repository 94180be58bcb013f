package dev.engineionio.bench.protocol;

import dev.engineionio.protocol.PacketBatch;
import dev.engineionio.protocol.PacketType;
import java.nio.ByteBuffer;
import java.util.Random;

/** Shared inputs of the codec benchmarks: a batch of {@link #PACKETS} messages of one size, text or binary. */
public final class CodecFixtures {
    /** Packets per payload: a polling answer that batches a few messages. */
    static final int PACKETS = 4;

    private CodecFixtures() {
    }

    /** The payload kinds measured. */
    public enum Format {
        /** v4 polling payload, text messages joined by 0x1E. */
        V4_TEXT,
        /** v4 polling payload, binary messages as b + base64. */
        V4_BINARY,
        /** v3 text payload, length-prefixed text messages. */
        V3_TEXT
    }

    static String asciiText(int size, long seed) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(size);
        for (int i = 0; i < size; i++) {
            sb.append((char) ('a' + r.nextInt(26)));
        }
        return sb.toString();
    }

    static ByteBuffer bytes(int size, long seed, boolean direct) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        buf.put(b).flip();
        return buf;
    }

    /** A fixed batch, implemented as the session layer would over its queue. */
    static final class Batch implements PacketBatch {
        private final boolean binary;
        private final String text;
        private final ByteBuffer data;

        Batch(boolean binary, int size, boolean direct) {
            this.binary = binary;
            this.text = binary ? null : asciiText(size, 1);
            this.data = binary ? bytes(size, 2, direct) : null;
        }

        @Override
        public int count() {
            return PACKETS;
        }

        @Override
        public PacketType type(int i) {
            return PacketType.MESSAGE;
        }

        @Override
        public boolean isBinary(int i) {
            return binary;
        }

        @Override
        public CharSequence text(int i) {
            return text;
        }

        @Override
        public ByteBuffer binary(int i) {
            return data;
        }
    }
}
