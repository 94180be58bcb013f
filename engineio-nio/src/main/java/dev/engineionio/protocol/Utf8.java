package dev.engineionio.protocol;

import java.nio.ByteBuffer;

/**
 * UTF-8 written straight from a {@link CharSequence} into a {@link ByteBuffer}, and walked in place.
 *
 * <p><b>Lone surrogates.</b> Java strings, like JavaScript strings, may hold unpaired surrogates. The reference
 * ({@code Buffer.from(string)} in Node.js, and the v3 parser's {@code utf8.encode} with {@code strict:false}) writes
 * U+FFFD for each one, so do we: bytes {@code EF BF BD}. The char count of the string is unchanged, so a v3 length
 * prefix (UTF-16 units of the JavaScript string) stays {@link CharSequence#length()}.
 *
 * <p><b>Decoding.</b> {@link #advanceUnits} walks bytes as the WHATWG UTF-8 decoder does (the one Node.js uses
 * for a request body read with {@code setEncoding("utf8")}): every maximal invalid subsequence counts as one
 * U+FFFD, i.e. one UTF-16 unit. {@link #isValid} is RFC 3629 validation.
 *
 * <p>Stateless; any thread may use it. Never allocates.
 */
public final class Utf8 {
    /** {@link #advanceUnits} result: the input ended before the requested number of units. */
    static final int SHORT = -1;
    /** {@link #advanceUnits} result: the last requested unit is the first half of a surrogate pair. */
    static final int SPLIT_PAIR = -2;
    /** {@link #advanceUnits} result in strict mode: invalid UTF-8 met. */
    static final int INVALID = -3;

    private Utf8() {
    }

    /**
     * The number of UTF-8 bytes {@link #write} produces for {@code s} (a lone surrogate counts as U+FFFD, 3 bytes).
     *
     * @param s the text
     * @return the size in bytes
     */
    public static int encodedLength(CharSequence s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // two chars, four bytes
                i++;
            } else {
                bytes += 2; // BMP char or lone surrogate (as U+FFFD): three bytes
            }
        }
        return bytes;
    }

    /**
     * Writes {@code s} as UTF-8 at absolute {@code index} of {@code dst} (position and limit untouched); returns the
     * index after the last byte. The caller has checked the room with {@link #encodedLength}.
     *
     * @param s     the text; lone surrogates are written as U+FFFD
     * @param dst   the destination
     * @param index the absolute index of the first byte
     * @return the index after the last byte written
     */
    public static int write(CharSequence s, ByteBuffer dst, int index) {
        int n = s.length();
        int o = index;
        int i = 0;
        // ASCII run first: the common case for Engine.IO traffic
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                break;
            }
            dst.put(o++, (byte) c);
            i++;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                dst.put(o++, (byte) c);
            } else if (c < 0x800) {
                dst.put(o, (byte) (0xC0 | c >> 6));
                dst.put(o + 1, (byte) (0x80 | c & 0x3F));
                o += 2;
            } else if (Character.isSurrogate(c)) {
                char d;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(d = s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, d);
                    dst.put(o, (byte) (0xF0 | cp >> 18));
                    dst.put(o + 1, (byte) (0x80 | cp >> 12 & 0x3F));
                    dst.put(o + 2, (byte) (0x80 | cp >> 6 & 0x3F));
                    dst.put(o + 3, (byte) (0x80 | cp & 0x3F));
                    o += 4;
                    i++;
                } else {
                    dst.put(o, (byte) 0xEF);
                    dst.put(o + 1, (byte) 0xBF);
                    dst.put(o + 2, (byte) 0xBD);
                    o += 3;
                }
            } else {
                dst.put(o, (byte) (0xE0 | c >> 12));
                dst.put(o + 1, (byte) (0x80 | c >> 6 & 0x3F));
                dst.put(o + 2, (byte) (0x80 | c & 0x3F));
                o += 3;
            }
        }
        return o;
    }

    /**
     * Walks {@code units} UTF-16 code units of the UTF-8 text at {@code buf[from, limit)} and returns the byte index
     * where the next unit starts, or {@link #SHORT} if the text ends first, or {@link #SPLIT_PAIR} if the last unit
     * would be half of a surrogate pair. In lenient mode each maximal invalid subsequence counts as one unit
     * (WHATWG replacement); in strict mode it gives {@link #INVALID} (encoded surrogates included).
     */
    static int advanceUnits(ByteBuffer buf, int from, int limit, long units, boolean strict) {
        int i = from;
        long left = units;
        while (left > 0) {
            if (left >= 8 && limit - i >= 8 && (buf.getLong(i) & 0x8080808080808080L) == 0) {
                i += 8; // eight ASCII bytes, eight units
                left -= 8;
                continue;
            }
            if (i >= limit) {
                return SHORT;
            }
            int b = buf.get(i) & 0xFF;
            if (b < 0x80) {
                i++;
                left--;
                continue;
            }
            int need;
            int lower = 0x80;
            int upper = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                if (b == 0xE0) {
                    lower = 0xA0;
                } else if (b == 0xED) {
                    upper = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                if (b == 0xF0) {
                    lower = 0x90;
                } else if (b == 0xF4) {
                    upper = 0x8F;
                }
            } else {
                if (strict) {
                    return INVALID;
                }
                i++; // stray continuation byte or invalid lead: one U+FFFD
                left--;
                continue;
            }
            int j = i + 1;
            int seen = 0;
            while (seen < need) {
                if (j >= limit) {
                    break;
                }
                int c = buf.get(j) & 0xFF;
                if (c < lower || c > upper) {
                    break;
                }
                lower = 0x80;
                upper = 0xBF;
                j++;
                seen++;
            }
            if (seen < need) {
                if (strict) {
                    return INVALID;
                }
                i = j; // the partial sequence is one U+FFFD; the offending byte is read again
                left--;
                continue;
            }
            if (need == 3) {
                if (left == 1) {
                    return SPLIT_PAIR;
                }
                left -= 2;
            } else {
                left--;
            }
            i = j;
        }
        return i;
    }

    /**
     * Whether {@code buf[from, limit)} is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, max U+10FFFF).
     *
     * @param buf   the bytes, read with absolute gets (position untouched)
     * @param from  the absolute index of the first byte
     * @param limit the absolute index after the last byte
     * @return true if well-formed
     */
    public static boolean isValid(ByteBuffer buf, int from, int limit) {
        return scan(buf, from, limit, false);
    }

    /**
     * True if {@code buf[from, limit)} is UTF-8 as the v3 parser's {@code utf8.decode(s, {strict:false})} accepts
     * it: like {@link #isValid} but UTF-8-encoded surrogates ({@code ED A0..BF xx}) are tolerated (they decode to
     * U+FFFD there).
     */
    static boolean isValidAllowingSurrogates(ByteBuffer buf, int from, int limit) {
        return scan(buf, from, limit, true);
    }

    private static boolean scan(ByteBuffer buf, int from, int limit, boolean allowSurrogates) {
        int i = from;
        while (i < limit) {
            int b = buf.get(i) & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            if (allowSurrogates && b == 0xED && i + 2 < limit) {
                int c1 = buf.get(i + 1) & 0xFF;
                int c2 = buf.get(i + 2) & 0xFF;
                if (c1 >= 0x80 && c1 <= 0xBF && c2 >= 0x80 && c2 <= 0xBF) {
                    i += 3;
                    continue;
                }
                return false;
            }
            int next = advanceUnits(buf, i, limit, 1, true);
            if (next == INVALID) {
                return false;
            }
            if (next == SPLIT_PAIR) {
                next = advanceUnits(buf, i, limit, 2, true);
            }
            i = next;
        }
        return true;
    }

    /**
     * Decodes {@code buf[from, from+len)} into {@code out} as the WHATWG UTF-8 decoder (Node.js's) does: each maximal
     * invalid subsequence becomes one U+FFFD. Returns the number of chars written; {@code out} holds at least
     * {@code len} chars (UTF-8 never yields more chars than bytes). Allocates nothing.
     *
     * @param buf  the bytes (read with absolute gets; position and limit untouched)
     * @param from the first byte
     * @param len  the number of bytes
     * @param out  where the chars go, from index 0; at least {@code len} long
     * @return the number of chars written
     */
    public static int decodeReplacing(ByteBuffer buf, int from, int len, char[] out) {
        int limit = from + len;
        int i = from;
        int o = 0;
        while (i < limit) {
            int b = buf.get(i) & 0xFF;
            if (b < 0x80) {
                out[o++] = (char) b;
                i++;
                continue;
            }
            int need;
            int cp;
            int lower = 0x80;
            int upper = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
                cp = b & 0x1F;
            } else if (b >= 0xE0 && b <= 0xEF) {
                need = 2;
                cp = b & 0x0F;
                if (b == 0xE0) {
                    lower = 0xA0;
                } else if (b == 0xED) {
                    upper = 0x9F;
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                need = 3;
                cp = b & 0x07;
                if (b == 0xF0) {
                    lower = 0x90;
                } else if (b == 0xF4) {
                    upper = 0x8F;
                }
            } else {
                out[o++] = '\uFFFD';
                i++;
                continue;
            }
            int j = i + 1;
            int seen = 0;
            while (seen < need && j < limit) {
                int c = buf.get(j) & 0xFF;
                if (c < lower || c > upper) {
                    break;
                }
                lower = 0x80;
                upper = 0xBF;
                cp = cp << 6 | (c & 0x3F);
                j++;
                seen++;
            }
            i = j;
            if (seen < need) {
                out[o++] = '\uFFFD';
            } else if (cp >= 0x10000) {
                out[o++] = Character.highSurrogate(cp);
                out[o++] = Character.lowSurrogate(cp);
            } else {
                out[o++] = (char) cp;
            }
        }
        return o;
    }
}
