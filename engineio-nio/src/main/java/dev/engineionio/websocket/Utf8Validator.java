package dev.engineionio.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Incremental UTF-8 validator (RFC 3629 §4, the "Table 3-7 Well-Formed UTF-8 Byte Sequences" of the Unicode
 * standard) whose state survives across spans, frames and reads, failing on the first byte that cannot start or
 * continue a well-formed sequence.
 *
 * <pre>
 *   Code points          1st byte  2nd byte  3rd byte  4th byte
 *   U+0000..U+007F       00..7F
 *   U+0080..U+07FF       C2..DF    80..BF
 *   U+0800..U+0FFF       E0        A0..BF    80..BF
 *   U+1000..U+CFFF       E1..EC    80..BF    80..BF
 *   U+D000..U+D7FF       ED        80..9F    80..BF             (no surrogates)
 *   U+E000..U+FFFF       EE..EF    80..BF    80..BF
 *   U+10000..U+3FFFF     F0        90..BF    80..BF    80..BF
 *   U+40000..U+FFFFF     F1..F3    80..BF    80..BF    80..BF
 *   U+100000..U+10FFFF   F4        80..8F    80..BF    80..BF   (nothing above U+10FFFF)
 * </pre>
 *
 * Overlong forms, surrogates (U+D800..U+DFFF), code points above U+10FFFF and stray continuation bytes are
 * rejected exactly where the table says the byte is impossible, which is the fail-fast position the Autobahn 6.x
 * cases check: an invalid byte moves the automaton to an absorbing reject state, and the caller checks after each
 * span, before anything of it is delivered. The automaton runs as a shift-based DFA: twelve byte classes and nine
 * states packed into one {@code long} per byte value, one load and one shift per byte, one branch per eight bytes. Runs of ASCII are skipped eight bytes at a time with one {@code long} load (a
 * {@code byteArrayViewVarHandle} on a heap buffer's array, {@code getLong} on a direct buffer).
 *
 * <p>Not thread-safe: one instance per message stream (the decoder owns one). It reads the caller's buffer with
 * absolute gets only, never moves its position and keeps no reference to it. No allocation. The state machine is
 * this project's own, written from the table above; the technique of byte classes plus a transition table is
 * Bjoern Hoehrmann's "Flexible and Economical UTF-8 Decoder" DFA, used by Netty's {@code Utf8Validator}.
 */
public final class Utf8Validator {

    // Byte classes: bytes that behave alike in every state.
    private static final int C_ASCII = 0;      // 00..7F
    private static final int C_80_8F = 1;
    private static final int C_90_9F = 2;
    private static final int C_A0_BF = 3;
    private static final int C_NEVER = 4;      // C0, C1, F5..FF: in no well-formed sequence
    private static final int C_C2_DF = 5;
    private static final int C_E0 = 6;
    private static final int C_E1_EF = 7;      // E1..EC, EE, EF
    private static final int C_ED = 8;
    private static final int C_F0 = 9;
    private static final int C_F1_F3 = 10;
    private static final int C_F4 = 11;
    private static final int CLASSES = 12;

    // States of the automaton (indices into the transition table).
    private static final int S_ACCEPT = 0;
    private static final int S_CONT_1 = 1;      // one more 80..BF
    private static final int S_CONT_2 = 2;      // two more, next 80..BF
    private static final int S_CONT_3 = 3;      // three more, next 80..BF
    private static final int S_CONT_2_E0 = 4;   // after E0: next A0..BF, then one more
    private static final int S_CONT_2_ED = 5;   // after ED: next 80..9F, then one more
    private static final int S_CONT_3_F0 = 6;   // after F0: next 90..BF, then two more
    private static final int S_CONT_3_F4 = 7;   // after F4: next 80..8F, then two more
    private static final int S_REJECT = 8;
    private static final int STATES = 9;

    /*
     * Shift-based DFA (after Per Vognsen's "shift-based DFAs"): a state is stored as its bit offset 6*k, and ROW[b]
     * packs, at offset 6*k, the offset of the state that byte b leads to from state k. A step is then
     * s = (ROW[b] >>> s) & 63: the load does not depend on s, so consecutive steps overlap in the pipeline.
     */
    private static final int ACCEPT = S_ACCEPT * 6;
    private static final int REJECT = S_REJECT * 6;
    private static final long[] ROW = new long[256];

    static {
        byte[] cls = new byte[256];
        for (int b = 0; b < 256; b++) {
            int c;
            if (b < 0x80) {
                c = C_ASCII;
            } else if (b < 0x90) {
                c = C_80_8F;
            } else if (b < 0xA0) {
                c = C_90_9F;
            } else if (b < 0xC0) {
                c = C_A0_BF;
            } else if (b < 0xC2 || b > 0xF4) {
                c = C_NEVER;
            } else if (b < 0xE0) {
                c = C_C2_DF;
            } else if (b == 0xE0) {
                c = C_E0;
            } else if (b == 0xED) {
                c = C_ED;
            } else if (b < 0xF0) {
                c = C_E1_EF;
            } else if (b == 0xF0) {
                c = C_F0;
            } else if (b < 0xF4) {
                c = C_F1_F3;
            } else {
                c = C_F4;
            }
            cls[b] = (byte) c;
        }
        int[][] next = new int[STATES][CLASSES];
        for (int[] row : next) {
            java.util.Arrays.fill(row, S_REJECT);
        }
        next[S_ACCEPT][C_ASCII] = S_ACCEPT;
        next[S_ACCEPT][C_C2_DF] = S_CONT_1;
        next[S_ACCEPT][C_E0] = S_CONT_2_E0;
        next[S_ACCEPT][C_E1_EF] = S_CONT_2;
        next[S_ACCEPT][C_ED] = S_CONT_2_ED;
        next[S_ACCEPT][C_F0] = S_CONT_3_F0;
        next[S_ACCEPT][C_F1_F3] = S_CONT_3;
        next[S_ACCEPT][C_F4] = S_CONT_3_F4;
        for (int c = C_80_8F; c <= C_A0_BF; c++) {
            next[S_CONT_1][c] = S_ACCEPT;
            next[S_CONT_2][c] = S_CONT_1;
            next[S_CONT_3][c] = S_CONT_2;
        }
        next[S_CONT_2_E0][C_A0_BF] = S_CONT_1;
        next[S_CONT_2_ED][C_80_8F] = S_CONT_1;
        next[S_CONT_2_ED][C_90_9F] = S_CONT_1;
        next[S_CONT_3_F0][C_90_9F] = S_CONT_2;
        next[S_CONT_3_F0][C_A0_BF] = S_CONT_2;
        next[S_CONT_3_F4][C_80_8F] = S_CONT_2;
        for (int b = 0; b < 256; b++) {
            long row = 0;
            for (int k = 0; k < STATES; k++) {
                row |= (long) (next[k][cls[b]] * 6) << (k * 6);
            }
            ROW[b] = row;
        }
    }

    private static final long HIGH_BITS = 0x8080808080808080L;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private int state = ACCEPT;

    /** Forgets everything: the next byte must start a sequence. */
    public void reset() {
        state = ACCEPT;
    }

    /**
     * Feeds {@code buf[offset, offset+length)} (absolute indices; position and limit untouched).
     *
     * @return {@code false} once any byte fed so far (since the last {@link #reset()}) is invalid; stays false
     */
    public boolean validate(ByteBuffer buf, int offset, int length) {
        int s = state;
        if (s != REJECT) {
            s = run(s, buf, offset, offset + length);
            state = s;
        }
        return s != REJECT;
    }

    /** Whether every byte fed so far is valid and the input ends on a code point boundary. */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Whether an invalid byte was seen since the last reset. */
    public boolean isFailed() {
        return state == REJECT;
    }

    /** Whether {@code buf[offset, offset+length)} is complete, valid UTF-8 on its own. Stateless; no allocation. */
    public static boolean isValid(ByteBuffer buf, int offset, int length) {
        return run(ACCEPT, buf, offset, offset + length) == ACCEPT;
    }

    private static int run(int s, ByteBuffer buf, int from, int to) {
        if (buf.hasArray()) {
            int base = buf.arrayOffset();
            return runArray(s, buf.array(), base + from, base + to);
        }
        return runBuffer(s, buf, from, to);
    }

    private static int runArray(int s, byte[] a, int i, int end) {
        final long[] row = ROW;
        while (end - i >= 8) {
            long word = (long) LONGS.get(a, i);
            // One branch per eight bytes: skip them if we are between code points and they are all ASCII.
            if ((s == ACCEPT) & ((word & HIGH_BITS) == 0)) {
                i += 8;
                continue;
            }
            s = (int) (row[a[i] & 0xFF] >>> s) & 63;
            s = (int) (row[a[i + 1] & 0xFF] >>> s) & 63;
            s = (int) (row[a[i + 2] & 0xFF] >>> s) & 63;
            s = (int) (row[a[i + 3] & 0xFF] >>> s) & 63;
            s = (int) (row[a[i + 4] & 0xFF] >>> s) & 63;
            s = (int) (row[a[i + 5] & 0xFF] >>> s) & 63;
            s = (int) (row[a[i + 6] & 0xFF] >>> s) & 63;
            s = (int) (row[a[i + 7] & 0xFF] >>> s) & 63;
            if (s == REJECT) {
                return REJECT;
            }
            i += 8;
        }
        for (; i < end; i++) {
            s = (int) (row[a[i] & 0xFF] >>> s) & 63;
        }
        return s;
    }

    private static int runBuffer(int s, ByteBuffer buf, int i, int end) {
        final long[] row = ROW;
        while (end - i >= 8) {
            long word = buf.getLong(i);
            if ((s == ACCEPT) & ((word & HIGH_BITS) == 0)) {
                i += 8;
                continue;
            }
            for (int k = 0; k < 8; k++) {
                s = (int) (row[buf.get(i + k) & 0xFF] >>> s) & 63;
            }
            if (s == REJECT) {
                return REJECT;
            }
            i += 8;
        }
        for (; i < end; i++) {
            s = (int) (row[buf.get(i) & 0xFF] >>> s) & 63;
        }
        return s;
    }
}
