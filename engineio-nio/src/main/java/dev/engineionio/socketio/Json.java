package dev.engineionio.socketio;

import dev.engineionio.socketio.JsonException.Reason;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text (RFC 8259) to and from plain Java values, with no dependency: the value model of Socket.IO event
 * arguments.
 *
 * <h2>The value model</h2>
 * <table>
 * <caption>JSON and Java</caption>
 * <tr><th>JSON</th><th>{@link #parse} gives</th><th>{@link #write} takes</th></tr>
 * <tr><td>object</td><td>{@code LinkedHashMap<String, Object>} (member order kept; a duplicate name keeps its first
 * position and its last value, as {@code JSON.parse})</td><td>any {@code Map} (keys by {@code String.valueOf})</td></tr>
 * <tr><td>array</td><td>{@code ArrayList<Object>}</td><td>any {@code Collection}, {@code Object[]}</td></tr>
 * <tr><td>string</td><td>{@code String} (escaped lone surrogates kept, as {@code JSON.parse})</td>
 * <td>{@code CharSequence}, {@code Character}</td></tr>
 * <tr><td>number</td><td>{@code Long} for an integer literal (no fraction, no exponent) within {@code long}, else
 * {@code Double} (correctly rounded; out of range becomes an infinity, as in JavaScript)</td><td>any {@code Number};
 * integers ({@code Long}, {@code Integer}, {@code BigInteger}) are written exactly, also beyond 2<sup>53</sup> where
 * JavaScript would round them;
 * a {@code double} is written as JavaScript's {@code Number.prototype.toString} writes it ({@code 1}, {@code 1.5},
 * {@code 1e+21}, {@code 1e-7}); NaN and infinities as {@code null}, as {@code JSON.stringify}</td></tr>
 * <tr><td>true, false</td><td>{@code Boolean}</td><td>{@code Boolean}</td></tr>
 * <tr><td>null</td><td>{@code null}</td><td>{@code null}</td></tr>
 * </table>
 * The writer escapes as {@code JSON.stringify} does (well-formed since ES2019): {@code " \ \b \f \n \r \t}, other
 * controls and lone surrogates as lower-case {@code \}{@code u00xx}; nothing else, so its output for a parsed value
 * matches {@code JSON.stringify(JSON.parse(text))}.
 *
 * <h2>Limits</h2>
 * {@code maxDepth} (default {@value #DEFAULT_MAX_DEPTH}): arrays and objects nested deeper are refused
 * ({@link Reason#TOO_DEEP}); the writer refuses the same depth, which also stops a value that contains itself.
 * {@code maxLength} (default {@value #DEFAULT_MAX_LENGTH} characters): a longer text is refused before it is read
 * ({@link Reason#TOO_LONG}).
 *
 * <h2>Errors</h2>
 * A refused text throws {@link JsonException} with a {@link Reason} and the offset of the character at fault; the
 * exception has no stack trace (it is an answer to input, not a bug), so a hostile peer costs one small object.
 *
 * <p>Threads: stateless; any thread.
 */
public final class Json {

    /** Default nesting limit of {@link #parse(CharSequence)} and {@link #write(Object)}. */
    public static final int DEFAULT_MAX_DEPTH = 512;
    /** Default input length limit of {@link #parse(CharSequence)}, in characters (16 Mi). */
    public static final int DEFAULT_MAX_LENGTH = 16 << 20;

    private Json() {
    }

    /**
     * Parses one JSON text with the default limits.
     *
     * @param text the text (a value, with optional whitespace around it)
     * @return the value (see the class table)
     * @throws JsonException if the text is not JSON or exceeds a limit
     */
    public static Object parse(CharSequence text) {
        return parse(text, DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH);
    }

    /**
     * Parses one JSON text.
     *
     * @param text      the text
     * @param maxDepth  the deepest nesting of arrays and objects accepted (1: a flat array or object), at least 0
     * @param maxLength the longest text accepted, in characters
     * @return the value
     * @throws JsonException if the text is not JSON or exceeds a limit
     */
    public static Object parse(CharSequence text, int maxDepth, int maxLength) {
        if (maxDepth < 0 || maxLength < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
        if (text.length() > maxLength) {
            throw new JsonException(Reason.TOO_LONG, maxLength, text.length() + " > " + maxLength + " characters");
        }
        Parser p = new Parser(text, maxDepth);
        p.skipWhitespace();
        Object v = p.value(0);
        p.skipWhitespace();
        if (p.pos < p.end) {
            throw p.error(Reason.TRAILING_CHARACTERS);
        }
        return v;
    }

    /**
     * Writes a value as JSON text.
     *
     * @param value the value (see the class table)
     * @return the text
     * @throws JsonException if the value holds a type JSON has no form for, or nests deeper than
     *                       {@value #DEFAULT_MAX_DEPTH}
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb);
        return sb.toString();
    }

    /**
     * Appends a value as JSON text.
     *
     * @param value the value
     * @param out   where to append
     * @throws JsonException as {@link #write(Object)}
     */
    public static void write(Object value, StringBuilder out) {
        new Writer(out, null).value(value, 0);
    }

    /** Receives binary values met by the writer (Socket.IO attachments); returns the placeholder number. */
    interface BinarySink {
        int add(byte[] data);
    }

    /** Writes {@code value}, replacing each {@code byte[]} by {@code {"_placeholder":true,"num":n}}. */
    static void write(Object value, StringBuilder out, BinarySink sink) {
        new Writer(out, sink).value(value, 0);
    }

    /** Whether {@code value} holds a {@code byte[]} anywhere (the reference's {@code hasBinary}). */
    static boolean hasBinary(Object value, int depth) {
        if (value instanceof byte[]) {
            return true;
        }
        if (depth > DEFAULT_MAX_DEPTH) {
            return false;
        }
        if (value instanceof Map) {
            for (Object v : ((Map<?, ?>) value).values()) {
                if (hasBinary(v, depth + 1)) {
                    return true;
                }
            }
        } else if (value instanceof Collection) {
            for (Object v : (Collection<?>) value) {
                if (hasBinary(v, depth + 1)) {
                    return true;
                }
            }
        } else if (value instanceof Object[]) {
            for (Object v : (Object[]) value) {
                if (hasBinary(v, depth + 1)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ parser

    private static final class Parser {
        final CharSequence s;
        final int end;
        final int maxDepth;
        int pos;

        Parser(CharSequence s, int maxDepth) {
            this.s = s;
            this.end = s.length();
            this.maxDepth = maxDepth;
        }

        JsonException error(Reason r) {
            return new JsonException(pos >= end && r != Reason.TRAILING_CHARACTERS ? Reason.UNEXPECTED_END : r,
                    pos, null);
        }

        void skipWhitespace() {
            while (pos < end) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        Object value(int depth) {
            if (pos >= end) {
                throw error(Reason.UNEXPECTED_END);
            }
            char c = s.charAt(pos);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"':
                    return string();
                case 't':
                    literal("true");
                    return Boolean.TRUE;
                case 'f':
                    literal("false");
                    return Boolean.FALSE;
                case 'n':
                    literal("null");
                    return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw error(Reason.UNEXPECTED_CHARACTER);
            }
        }

        void literal(String word) {
            for (int i = 0; i < word.length(); i++) {
                if (pos >= end || s.charAt(pos) != word.charAt(i)) {
                    throw error(Reason.UNEXPECTED_CHARACTER);
                }
                pos++;
            }
        }

        Map<String, Object> object(int depth) {
            if (depth > maxDepth) {
                throw error(Reason.TOO_DEEP);
            }
            pos++; // '{'
            Map<String, Object> m = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < end && s.charAt(pos) == '}') {
                pos++;
                return m;
            }
            while (true) {
                if (pos >= end || s.charAt(pos) != '"') {
                    throw error(Reason.UNEXPECTED_CHARACTER);
                }
                String key = string();
                skipWhitespace();
                if (pos >= end || s.charAt(pos) != ':') {
                    throw error(Reason.UNEXPECTED_CHARACTER);
                }
                pos++;
                skipWhitespace();
                m.put(key, value(depth));
                skipWhitespace();
                if (pos >= end) {
                    throw error(Reason.UNEXPECTED_END);
                }
                char c = s.charAt(pos++);
                if (c == '}') {
                    return m;
                }
                if (c != ',') {
                    pos--;
                    throw error(Reason.UNEXPECTED_CHARACTER);
                }
                skipWhitespace();
            }
        }

        List<Object> array(int depth) {
            if (depth > maxDepth) {
                throw error(Reason.TOO_DEEP);
            }
            pos++; // '['
            List<Object> a = new ArrayList<>();
            skipWhitespace();
            if (pos < end && s.charAt(pos) == ']') {
                pos++;
                return a;
            }
            while (true) {
                a.add(value(depth));
                skipWhitespace();
                if (pos >= end) {
                    throw error(Reason.UNEXPECTED_END);
                }
                char c = s.charAt(pos++);
                if (c == ']') {
                    return a;
                }
                if (c != ',') {
                    pos--;
                    throw error(Reason.UNEXPECTED_CHARACTER);
                }
                skipWhitespace();
            }
        }

        String string() {
            pos++; // opening quote
            int start = pos;
            // fast path: no escape
            while (pos < end) {
                char c = s.charAt(pos);
                if (c == '"') {
                    return s.subSequence(start, pos++).toString();
                }
                if (c == '\\' || c < 0x20) {
                    break;
                }
                pos++;
            }
            StringBuilder sb = new StringBuilder(Math.max(16, (pos - start) * 2));
            sb.append(s, start, pos);
            while (true) {
                if (pos >= end) {
                    throw error(Reason.UNEXPECTED_END);
                }
                char c = s.charAt(pos);
                if (c == '"') {
                    pos++;
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error(Reason.CONTROL_CHARACTER_IN_STRING);
                }
                if (c != '\\') {
                    sb.append(c);
                    pos++;
                    continue;
                }
                if (++pos >= end) {
                    throw error(Reason.UNEXPECTED_END);
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case '"': sb.append('"'); break;
                    case '\\': sb.append('\\'); break;
                    case '/': sb.append('/'); break;
                    case 'b': sb.append('\b'); break;
                    case 'f': sb.append('\f'); break;
                    case 'n': sb.append('\n'); break;
                    case 'r': sb.append('\r'); break;
                    case 't': sb.append('\t'); break;
                    case 'u': sb.append(hex4()); break;
                    default:
                        pos--;
                        throw error(Reason.INVALID_ESCAPE);
                }
            }
        }

        char hex4() {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                if (pos >= end) {
                    throw error(Reason.UNEXPECTED_END);
                }
                int d = Character.digit(s.charAt(pos), 16);
                if (d < 0 || s.charAt(pos) > 'f') { // Character.digit also takes non-ASCII digits
                    throw error(Reason.INVALID_UNICODE_ESCAPE);
                }
                v = (v << 4) | d;
                pos++;
            }
            return (char) v;
        }

        Object number() {
            int start = pos;
            boolean integer = true;
            if (s.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= end) {
                throw error(Reason.INVALID_NUMBER);
            }
            char c = s.charAt(pos);
            if (c == '0') {
                pos++;
            } else if (c >= '1' && c <= '9') {
                digits();
            } else {
                throw error(Reason.INVALID_NUMBER);
            }
            if (pos < end && s.charAt(pos) == '.') {
                integer = false;
                pos++;
                if (digits() == 0) {
                    throw error(Reason.INVALID_NUMBER);
                }
            }
            if (pos < end && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
                integer = false;
                pos++;
                if (pos < end && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                    pos++;
                }
                if (digits() == 0) {
                    throw error(Reason.INVALID_NUMBER);
                }
            }
            String lit = s.subSequence(start, pos).toString();
            if (integer && pos - start <= 18) {
                return Long.parseLong(lit);
            }
            if (integer) {
                BigInteger b = new BigInteger(lit);
                if (b.bitLength() < 64) {
                    return b.longValue();
                }
            }
            return Double.parseDouble(lit);
        }

        int digits() {
            int n = 0;
            while (pos < end) {
                char c = s.charAt(pos);
                if (c < '0' || c > '9') {
                    break;
                }
                pos++;
                n++;
            }
            return n;
        }
    }

    // ------------------------------------------------------------------------------------------ writer

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final class Writer {
        final StringBuilder out;
        final BinarySink sink;

        Writer(StringBuilder out, BinarySink sink) {
            this.out = out;
            this.sink = sink;
        }

        void value(Object v, int depth) {
            if (v == null) {
                out.append("null");
            } else if (v instanceof CharSequence) {
                string((CharSequence) v, out);
            } else if (v instanceof Boolean) {
                out.append(((Boolean) v).booleanValue());
            } else if (v instanceof Number) {
                number((Number) v, out);
            } else if (v instanceof Map) {
                checkDepth(depth);
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(String.valueOf(e.getKey()), out);
                    out.append(':');
                    value(e.getValue(), depth + 1);
                }
                out.append('}');
            } else if (v instanceof Collection) {
                checkDepth(depth);
                out.append('[');
                boolean first = true;
                for (Object o : (Collection<?>) v) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    value(o, depth + 1);
                }
                out.append(']');
            } else if (v instanceof Object[]) {
                checkDepth(depth);
                Object[] a = (Object[]) v;
                out.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    value(a[i], depth + 1);
                }
                out.append(']');
            } else if (v instanceof Character) {
                string(String.valueOf(v), out);
            } else if (v instanceof byte[] && sink != null) {
                out.append("{\"_placeholder\":true,\"num\":").append(sink.add((byte[]) v)).append('}');
            } else {
                throw new JsonException(Reason.UNSUPPORTED_VALUE, -1, v.getClass().getName());
            }
        }

        private static void checkDepth(int depth) {
            if (depth >= DEFAULT_MAX_DEPTH) {
                throw new JsonException(Reason.TOO_DEEP, -1, "more than " + DEFAULT_MAX_DEPTH + " levels");
            }
        }
    }

    /** Appends {@code s} quoted and escaped as {@code JSON.stringify} does. */
    static void string(CharSequence s, StringBuilder out) {
        out.append('"');
        int n = s.length();
        int run = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            out.append(s, run, i);
            run = i + 1;
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15])
                            .append(HEX[c & 15]);
            }
        }
        out.append(s, run, n).append('"');
    }

    static void number(Number v, StringBuilder out) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger || v instanceof java.util.concurrent.atomic.AtomicInteger
                || v instanceof java.util.concurrent.atomic.AtomicLong) {
            out.append(v.toString());
        } else if (v instanceof BigDecimal) {
            out.append(((BigDecimal) v).toString());
        } else {
            doubleValue(v.doubleValue(), out);
        }
    }

    /**
     * The shortest decimal that reads back as {@code d}, the nearest to it among those of that length (what
     * JavaScript prints). JDK 17's {@code Double.toString} is not always the shortest (JDK-4511638: {@code 4.9E-324},
     * {@code 9.999999999999999E22}), so the digits are searched from one up; {@code Double.toString}'s own digits
     * bound the search.
     */
    private static BigDecimal shortest(double d) {
        BigDecimal jdk = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        int max = jdk.precision();
        if (max <= 1) {
            return jdk;
        }
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p < max; p++) {
            BigDecimal c = exact.round(new java.math.MathContext(p, java.math.RoundingMode.HALF_EVEN));
            if (c.doubleValue() == d) {
                return c.stripTrailingZeros();
            }
        }
        return jdk;
    }

    /** JavaScript's Number::toString (ECMA-262, 6.1.6.1.20) for a finite double; NaN and infinities as null. */
    static void doubleValue(double d, StringBuilder out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
            return;
        }
        if (d == 0) {
            out.append('0'); // also -0, as JavaScript
            return;
        }
        if (d == Math.rint(d) && Math.abs(d) < 0x1p53) { // every digit exact: as a long
            out.append((long) d);
            return;
        }
        if (d < 0) {
            out.append('-');
            d = -d;
        }
        BigDecimal bd = shortest(d);
        String digits = bd.unscaledValue().toString();
        int k = digits.length();
        int n = k - bd.scale();
        if (k <= n && n <= 21) {
            out.append(digits);
            for (int i = 0; i < n - k; i++) {
                out.append('0');
            }
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.");
            for (int i = 0; i < -n; i++) {
                out.append('0');
            }
            out.append(digits);
        } else {
            int e = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
    }
}
