package dev.engineionio.interop;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte string with placeholders, used by the transcript cases for requests (expanded to bytes) and for expected
 * responses (matched against the bytes received, capturing session ids).
 *
 * <p>Placeholders (anything else, such as the {@code {"code":...}} of a JSON body, is literal text, UTF-8 encoded):
 * <ul>
 *   <li>{@code {sid}}, {@code {sid2}}, ... : a session id, exactly 20 characters of {@code [A-Za-z0-9_-]}. In an
 *       expected response the first occurrence captures it, later ones must be equal; in a request it is replaced
 *       by the captured value (an uncaptured one is an error in the case).</li>
 *   <li>{@code {RS}}: the record separator byte 0x1E.</li>
 *   <li>{@code {repeat:N:text}}: {@code text} (without a closing brace) repeated N times.</li>
 *   <li>{@code {hex:0104ff}}: raw bytes.</li>
 * </ul>
 *
 * <p>Thread: immutable; any thread.
 */
final class ByteTemplate {

    static final int SID_LENGTH = 20;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(sid\\d*|RS|repeat:(\\d+):([^}]*)|hex:([0-9a-fA-F]*))}");

    private sealed interface Segment permits Literal, Sid {
    }

    private record Literal(byte[] bytes) implements Segment {
    }

    private record Sid(String name) implements Segment {
    }

    private final String source;
    private final List<Segment> segments;

    private ByteTemplate(String source, List<Segment> segments) {
        this.source = source;
        this.segments = segments;
    }

    static ByteTemplate parse(String source) {
        List<Segment> segments = new ArrayList<>();
        ByteArrayOutputStream literal = new ByteArrayOutputStream();
        Matcher m = PLACEHOLDER.matcher(source);
        int last = 0;
        while (m.find()) {
            literal.writeBytes(source.substring(last, m.start()).getBytes(StandardCharsets.UTF_8));
            String token = m.group(1);
            if (token.startsWith("sid")) {
                if (literal.size() > 0) {
                    segments.add(new Literal(literal.toByteArray()));
                    literal.reset();
                }
                segments.add(new Sid(token));
            } else if (token.equals("RS")) {
                literal.write(0x1e);
            } else if (token.startsWith("repeat:")) {
                literal.writeBytes(m.group(3).repeat(Integer.parseInt(m.group(2))).getBytes(StandardCharsets.UTF_8));
            } else {
                literal.writeBytes(HexFormat.of().parseHex(m.group(4)));
            }
            last = m.end();
        }
        literal.writeBytes(source.substring(last).getBytes(StandardCharsets.UTF_8));
        if (literal.size() > 0 || segments.isEmpty()) {
            segments.add(new Literal(literal.toByteArray()));
        }
        return new ByteTemplate(source, List.copyOf(segments));
    }

    /** The bytes, with every {@code {sidN}} replaced by its captured value. */
    byte[] expand(Map<String, String> vars) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Segment s : segments) {
            if (s instanceof Literal l) {
                out.writeBytes(l.bytes());
            } else {
                String name = ((Sid) s).name();
                String value = vars.get(name);
                if (value == null) {
                    throw new IllegalStateException("{" + name + "} used before a response captured it: " + source);
                }
                out.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    /**
     * Matches {@code actual} entirely; binds newly captured ids into {@code vars} only on success.
     *
     * @return null on a match, else a description of the first difference
     */
    String match(byte[] actual, Map<String, String> vars) {
        Map<String, String> captured = new java.util.HashMap<>();
        int pos = 0;
        for (Segment s : segments) {
            if (s instanceof Literal l) {
                byte[] want = l.bytes();
                for (int i = 0; i < want.length; i++) {
                    if (pos + i >= actual.length) {
                        return "ends at byte " + actual.length + ", expected more: " + show(want, i);
                    }
                    if (actual[pos + i] != want[i]) {
                        return "differs at byte " + (pos + i) + ": expected " + show(want, i) + ", got "
                                + show(actual, pos + i);
                    }
                }
                pos += want.length;
            } else {
                String name = ((Sid) s).name();
                if (pos + SID_LENGTH > actual.length) {
                    return "ends at byte " + actual.length + ", expected a 20-character {" + name + "}";
                }
                String value = new String(actual, pos, SID_LENGTH, StandardCharsets.ISO_8859_1);
                if (!value.matches("[A-Za-z0-9_-]{20}")) {
                    return "at byte " + pos + " expected a session id {" + name + "}, got " + show(actual, pos);
                }
                String bound = vars.containsKey(name) ? vars.get(name) : captured.get(name);
                if (bound != null && !bound.equals(value)) {
                    return "at byte " + pos + " expected {" + name + "}=" + bound + ", got " + value;
                }
                captured.put(name, value);
                pos += SID_LENGTH;
            }
        }
        if (pos != actual.length) {
            return (actual.length - pos) + " unexpected trailing bytes: " + show(actual, pos);
        }
        vars.putAll(captured);
        return null;
    }

    /** Up to 60 bytes from {@code from}, printable ASCII as is, everything else as \xHH. */
    static String show(byte[] bytes, int from) {
        StringBuilder sb = new StringBuilder("\"");
        int end = Math.min(bytes.length, from + 60);
        for (int i = from; i < end; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        sb.append(end < bytes.length ? "\"..." : "\"");
        return sb.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
