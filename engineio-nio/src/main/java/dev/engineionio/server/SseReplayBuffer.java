package dev.engineionio.server;

import java.nio.ByteBuffer;

/**
 * The SSE replay buffer of one session: the encoded bytes of its most recent events, at most {@code limit} bytes,
 * so that a stream resumed with {@code Last-Event-ID} gets exactly the events it missed. Events are numbered
 * 1, 2, 3... in the order they were written; the oldest are dropped to make room, and an event larger than the
 * limit is not kept at all (nothing before it can be replayed either).
 *
 * <p>Memory: nothing until the first event; then a byte ring grown by doubling up to {@code limit} and a ring of
 * event offsets. Loop thread only (the session's).
 */
final class SseReplayBuffer {
    private final int limit;
    private byte[] bytes;
    /** Absolute byte positions: the oldest kept byte, and the end. */
    private long head;
    private long tail;
    /** Absolute start of each kept event, indexed by seq modulo the array length. */
    private long[] starts;
    /** The oldest kept event's seq; equal to {@link #nextSeq} when none is kept. */
    private long firstSeq = 1;
    private long nextSeq = 1;

    SseReplayBuffer(int limit) {
        this.limit = limit;
    }

    /** The seq the next appended event gets. */
    long nextSeq() {
        return nextSeq;
    }

    /** The oldest seq that can be replayed ({@link #nextSeq()} when none can). */
    long firstSeq() {
        return firstSeq;
    }

    /** Bytes currently kept. */
    int size() {
        return (int) (tail - head);
    }

    /** Capacity of the byte ring (0 before the first kept event). */
    int capacity() {
        return bytes == null ? 0 : bytes.length;
    }

    /** Whether a client that last saw event {@code lastSeq} can be given exactly what it missed. */
    boolean canResumeAfter(long lastSeq) {
        return lastSeq < nextSeq && lastSeq + 1 >= firstSeq;
    }

    /** Appends event {@link #nextSeq()}: {@code len} bytes of {@code src} at absolute index {@code from}. */
    void append(ByteBuffer src, int from, int len) {
        long seq = nextSeq++;
        if (len > limit) {
            head = tail;
            firstSeq = nextSeq;
            return;
        }
        while (tail - head + len > limit) {
            firstSeq++;
            head = firstSeq < seq ? starts[index(firstSeq)] : tail;
        }
        ensureRoom((int) (tail - head) + len, seq);
        int cap = bytes.length;
        int p = (int) (tail % cap);
        int first = Math.min(len, cap - p);
        src.get(from, bytes, p, first);
        if (first < len) {
            src.get(from + first, bytes, 0, len - first);
        }
        starts[index(seq)] = tail;
        tail += len;
    }

    private int index(long seq) {
        return (int) (seq % starts.length);
    }

    private void ensureRoom(int bytesNeeded, long seq) {
        int events = (int) (seq - firstSeq + 1);
        if (starts == null || events > starts.length) {
            long[] s = new long[Math.max(8, starts == null ? 8 : starts.length * 2)];
            while (s.length < events) {
                s = new long[s.length * 2];
            }
            for (long q = firstSeq; q < seq; q++) {
                s[(int) (q % s.length)] = starts[index(q)];
            }
            starts = s;
        }
        if (bytes == null || bytesNeeded > bytes.length) {
            int cap = bytes == null ? 256 : bytes.length;
            while (cap < bytesNeeded) {
                cap = (int) Math.min((long) cap * 2, Math.max(limit, 256));
            }
            byte[] b = new byte[cap];
            for (long pos = head; pos < tail; pos++) {
                b[(int) (pos % cap)] = bytes[(int) (pos % bytes.length)];
            }
            bytes = b;
        }
    }

    /**
     * The client has seen every event up to {@code seq}: they leave the buffer (it will never resume before them).
     * An empty buffer gives its arrays back, so a session whose client acknowledges holds none while idle.
     */
    void releaseThrough(long seq) {
        if (seq < firstSeq || seq >= nextSeq) {
            return;
        }
        firstSeq = seq + 1;
        if (firstSeq == nextSeq) {
            head = tail;
            bytes = null;
            starts = null;
        } else {
            head = starts[index(firstSeq)];
        }
    }

    /** Bytes of the events after {@code lastSeq} (call only when {@link #canResumeAfter} holds). */
    int replayLength(long lastSeq) {
        return lastSeq + 1 >= nextSeq ? 0 : (int) (tail - starts[index(lastSeq + 1)]);
    }

    /** Puts the events after {@code lastSeq} into {@code dst} (relative; {@link #replayLength} bytes remaining). */
    void replay(long lastSeq, ByteBuffer dst) {
        if (lastSeq + 1 >= nextSeq) {
            return;
        }
        long from = starts[index(lastSeq + 1)];
        int cap = bytes.length;
        int len = (int) (tail - from);
        int p = (int) (from % cap);
        int first = Math.min(len, cap - p);
        dst.put(bytes, p, first);
        if (first < len) {
            dst.put(bytes, 0, len - first);
        }
    }
}
