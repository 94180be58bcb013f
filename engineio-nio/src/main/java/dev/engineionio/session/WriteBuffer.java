package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A reusable, ordered list of outgoing packets: the reference's {@code writeBuffer} and the {@code packets} argument
 * of {@code transport.send(packets)}. The codec encodes it without allocation through {@link #count()},
 * {@link #type(int)}, {@link #text(int)}, {@link #binary(int)} and {@link #compress(int)}.
 *
 * <p>Each packet is a {@link PacketType} and a payload that is either absent, text ({@link CharSequence}: the open
 * packet's JSON, a message, {@code probe}) or binary ({@link ByteBuffer}, read between its position and limit;
 * only {@link PacketType#MESSAGE} is ever binary).
 *
 * <p>Threading and ownership: owned by one {@link EngineSession} (its loop thread). An output interface that
 * receives a batch ({@link PollResponder#respond}, {@link FrameSink#send}) must encode or copy it before returning:
 * the session clears and reuses it afterwards. Binary payloads are the caller's buffers, never copied: readers use
 * absolute gets or {@code duplicate()} and must not move their position.
 *
 * <p>Text that is only borrowed (a view valid for one call, such as the {@link CharSequence} a text listener gets)
 * is copied into the batch's own char arena ({@link #addCopy}), which is kept with the batch and reused, so queueing
 * it allocates nothing once the arena has grown; {@link #text(int)} then returns a view the batch re-points on every
 * call: read it before calling {@code text} again.
 *
 * <p>Limits: the arrays grow by doubling as packets are queued; the reference bounds the write buffer only in time
 * (a client that never polls misses its PONG and the session closes on {@code pingTimeout}).
 */
public final class WriteBuffer implements dev.engineionio.protocol.PacketBatch {
    private static final int INITIAL_CAPACITY = 4;

    /** The payload of a packet whose text is in {@link #chars}. */
    private static final Object COPIED = new Object();

    private PacketType[] types;
    private Object[] payloads;
    private boolean[] compress;
    private int size;
    /** Copied text: arena, chars used, and each packet's start and length (allocated with the first copy). */
    private char[] chars;
    private int charsUsed;
    private int[] textStart;
    private int[] textLength;
    private CharView slice;

    /** An empty batch. */
    public WriteBuffer() {
        this(INITIAL_CAPACITY);
    }

    WriteBuffer(int capacity) {
        types = new PacketType[capacity];
        payloads = new Object[capacity];
        compress = new boolean[capacity];
    }

    /** Number of packets. */
    @Override
    public int count() {
        return size;
    }

    /** Whether there is no packet. */
    public boolean isEmpty() {
        return size == 0;
    }

    /** The type of packet {@code i}. */
    public PacketType type(int i) {
        checkIndex(i);
        return types[i];
    }

    /** Whether packet {@code i} carries a binary payload. */
    public boolean isBinary(int i) {
        checkIndex(i);
        return payloads[i] instanceof ByteBuffer;
    }

    /**
     * The text payload of packet {@code i}, or {@code null} when it has none or is binary. Text queued with
     * {@link #addCopy} comes back as a view that the next call re-points: read it before calling again.
     */
    public CharSequence text(int i) {
        checkIndex(i);
        Object p = payloads[i];
        if (p == COPIED) {
            return slice.of(chars, textStart[i], textLength[i]);
        }
        return p instanceof CharSequence ? (CharSequence) p : null;
    }

    /** The binary payload of packet {@code i} (do not move its position), or {@code null} when not binary. */
    public ByteBuffer binary(int i) {
        checkIndex(i);
        Object p = payloads[i];
        return p instanceof ByteBuffer ? (ByteBuffer) p : null;
    }

    /** The {@code compress} send option of packet {@code i} (default true; false for control packets). */
    public boolean compress(int i) {
        checkIndex(i);
        return compress[i];
    }

    /** Whether any packet may be compressed (the reference compresses a polling body only then). */
    public boolean anyCompress() {
        for (int i = 0; i < size; i++) {
            if (compress[i]) {
                return true;
            }
        }
        return false;
    }

    void add(PacketType type, Object payload, boolean mayCompress) {
        if (size == types.length) {
            int n = size * 2;
            types = Arrays.copyOf(types, n);
            payloads = Arrays.copyOf(payloads, n);
            compress = Arrays.copyOf(compress, n);
        }
        types[size] = type;
        payloads[size] = payload;
        compress[size] = mayCompress;
        size++;
    }

    /**
     * Queues a text packet whose text is copied into the batch's arena now ({@code text} need not outlive this
     * call). Allocates only while the arena or the index grows.
     */
    void addCopy(PacketType type, CharSequence text, boolean mayCompress) {
        int n = text.length();
        if (chars == null) {
            chars = new char[Math.max(64, n)];
            textStart = new int[types.length];
            textLength = new int[types.length];
            slice = new CharView();
        } else if (chars.length - charsUsed < n) {
            long grown = Math.max(2L * chars.length, (long) charsUsed + n);
            chars = Arrays.copyOf(chars, (int) Math.min(Integer.MAX_VALUE - 8, grown));
        }
        if (text instanceof String) {
            ((String) text).getChars(0, n, chars, charsUsed);
        } else {
            for (int k = 0; k < n; k++) {
                chars[charsUsed + k] = text.charAt(k);
            }
        }
        add(type, COPIED, mayCompress);
        if (textStart.length < types.length) {
            textStart = Arrays.copyOf(textStart, types.length);
            textLength = Arrays.copyOf(textLength, types.length);
        }
        textStart[size - 1] = charsUsed;
        textLength[size - 1] = n;
        charsUsed += n;
    }

    void clear() {
        Arrays.fill(payloads, 0, size, null);
        Arrays.fill(types, 0, size, null);
        size = 0;
        charsUsed = 0;
    }

    /** Bytes of copied-text arena this batch keeps (for the pool's bound). */
    int arenaChars() {
        return chars == null ? 0 : chars.length;
    }

    /**
     * Spare batches shared by the sessions of one event loop: a session holds a batch only while it has packets
     * queued (an idle WebSocket session holds none), takes one from here when it queues a packet and gives it back
     * when the transport has taken the packets.
     *
     * <p>Thread: the owning loop only (the sessions that share it are that loop's). Limits: at most {@code maxPooled}
     * spare batches are kept, and a batch that grew beyond {@link #MAX_POOLED_CAPACITY} packets or
     * {@link #MAX_POOLED_CHARS} chars of copied text is dropped rather than kept.
     */
    public static final class Pool {
        /** Batches with more slots than this are not kept. */
        public static final int MAX_POOLED_CAPACITY = 64;
        /** Batches whose copied-text arena grew beyond this many chars are not kept. */
        public static final int MAX_POOLED_CHARS = 16 * 1024;

        private final WriteBuffer[] free;
        private int count;
        private long created;

        /** A pool keeping at most {@code maxPooled} spare batches. */
        public Pool(int maxPooled) {
            if (maxPooled < 0) {
                throw new IllegalArgumentException("maxPooled < 0");
            }
            free = new WriteBuffer[maxPooled];
        }

        /** An empty batch. */
        WriteBuffer acquire() {
            if (count > 0) {
                WriteBuffer b = free[--count];
                free[count] = null;
                return b;
            }
            created++;
            return new WriteBuffer();
        }

        /** Gives {@code b} back, cleared; the caller no longer uses it. */
        void release(WriteBuffer b) {
            b.clear();
            if (count < free.length && b.types.length <= MAX_POOLED_CAPACITY && b.arenaChars() <= MAX_POOLED_CHARS) {
                free[count++] = b;
            }
        }

        /** Spare batches held. */
        public int pooled() {
            return count;
        }

        /** Batches created since this pool was (a pool that works keeps this flat). */
        public long created() {
            return created;
        }
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) {
            throw indexError(i);
        }
    }

    private IndexOutOfBoundsException indexError(int i) {
        return new IndexOutOfBoundsException("packet " + i + " of " + size);
    }

    /** Debug form: the packets in v4 text notation, binary shown as {@code b<n bytes>}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append('\u241e');
            }
            Object p = payloads[i];
            if (p instanceof ByteBuffer) {
                sb.append("b<").append(((ByteBuffer) p).remaining()).append(" bytes>");
            } else {
                sb.append(types[i].code());
                if (p == COPIED) {
                    sb.append(chars, textStart[i], textLength[i]);
                } else if (p != null) {
                    sb.append((CharSequence) p);
                }
            }
        }
        return sb.toString();
    }
}
