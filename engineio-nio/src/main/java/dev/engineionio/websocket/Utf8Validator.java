package dev.engineionio.websocket;

import java.nio.ByteBuffer;

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
 * cases check. Runs of ASCII are skipped eight bytes at a time with one {@code getLong}.
 *
 * <p>Not thread-safe: one instance per message stream (the decoder owns one). It reads the caller's buffer with
 * absolute gets only, never moves its position and keeps no reference to it. No allocation. The state machine is
 * this project's own, written from the table above; Netty's {@code Utf8Validator} (after Bjoern Hoehrmann's DFA) is
 * the same automaton in table form.
 */
public final class Utf8Validator {

    // States: the constraint on the next byte and how many continuation bytes remain.
    private static final int ACCEPT = 0;
    private static final int CONT_1 = 1;       // one more 80..BF
    private static final int CONT_2 = 2;       // two more, next 80..BF
    private static final int CONT_3 = 3;       // three more, next 80..BF
    private static final int CONT_2_E0 = 4;    // after E0: next A0..BF, then one more
    private static final int CONT_2_ED = 5;    // after ED: next 80..9F, then one more
    private static final int CONT_3_F0 = 6;    // after F0: next 90..BF, then two more
    private static final int CONT_3_F4 = 7;    // after F4: next 80..8F, then two more
    private static final int REJECT = 8;

    private static final long HIGH_BITS = 0x8080808080808080L;

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

    private static int run(int s, ByteBuffer buf, int i, int end) {
        while (i < end) {
            if (s == ACCEPT) {
                // ASCII fast path: eight bytes at a time (byte order does not matter for the high-bit test).
                while (end - i >= 8 && (buf.getLong(i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
                int b = buf.get(i++);
                if (b >= 0) {
                    continue;
                }
                s = lead(b & 0xFF);
                if (s == REJECT) {
                    return REJECT;
                }
            } else {
                int b = buf.get(i++) & 0xFF;
                switch (s) {
                    case CONT_1:
                        s = b >= 0x80 && b <= 0xBF ? ACCEPT : REJECT;
                        break;
                    case CONT_2:
                        s = b >= 0x80 && b <= 0xBF ? CONT_1 : REJECT;
                        break;
                    case CONT_3:
                        s = b >= 0x80 && b <= 0xBF ? CONT_2 : REJECT;
                        break;
                    case CONT_2_E0:
                        s = b >= 0xA0 && b <= 0xBF ? CONT_1 : REJECT;
                        break;
                    case CONT_2_ED:
                        s = b >= 0x80 && b <= 0x9F ? CONT_1 : REJECT;
                        break;
                    case CONT_3_F0:
                        s = b >= 0x90 && b <= 0xBF ? CONT_2 : REJECT;
                        break;
                    case CONT_3_F4:
                        s = b >= 0x80 && b <= 0x8F ? CONT_2 : REJECT;
                        break;
                    default:
                        s = REJECT;
                        break;
                }
                if (s == REJECT) {
                    return REJECT;
                }
            }
        }
        return s;
    }

    private static int lead(int b) {
        if (b >= 0xC2 && b <= 0xDF) {
            return CONT_1;
        }
        if (b == 0xE0) {
            return CONT_2_E0;
        }
        if (b == 0xED) {
            return CONT_2_ED;
        }
        if (b >= 0xE1 && b <= 0xEF) {
            return CONT_2;
        }
        if (b == 0xF0) {
            return CONT_3_F0;
        }
        if (b == 0xF4) {
            return CONT_3_F4;
        }
        if (b >= 0xF1 && b <= 0xF3) {
            return CONT_3;
        }
        return REJECT; // 80..C1 (stray continuation, overlong 2-byte lead), F5..FF
    }
}
