package dev.engineionio.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Drives an {@link HttpRequestParser} the way the NIO driver does (unconsumed bytes are kept and presented again at
 * the start of the next call's buffer, followed by new bytes) and renders what it reports as a transcript:
 *
 * <pre>
 * request GET /x HTTP/1.1 keep-alive [cl=N] [chunked] [continue] [upgrade-requested]   (head, no body)
 * absolute host:port origin /p?q path /p                                                (absolute-form only; "(empty)")
 * head POST /x HTTP/1.1 keep-alive cl=5                                                  (head, body follows)
 * h Name: value                                                                          (each field line)
 * body ...                                                                               (all BODY bytes, escaped)
 * end
 * upgrade GET /chat HTTP/1.1 keep-alive upgrade-requested  +  leftover ...               (unconsumed bytes)
 * error NAME
 * incomplete                                                                             (input ended mid-request)
 * </pre>
 *
 * Every buffer is exactly as large as its content plus a garbage prefix before its position, so a read past the
 * limit throws and a read before the position sees garbage.
 */
final class ParserHarness {
    private static final int PREFIX = 3;

    private ParserHarness() {
    }

    /** Splits {@code input} at the given ascending offsets, feeds the chunks and returns the transcript. */
    static String run(HttpLimits limits, byte[] input, int[] splits, boolean direct) {
        return run(limits, input, splits, direct, ByteOrder.BIG_ENDIAN);
    }

    /** As above with buffers of the given byte order (the parser's eight-byte reads must not depend on it). */
    static String run(HttpLimits limits, byte[] input, int[] splits, boolean direct, ByteOrder order) {
        HttpRequestParser parser = new HttpRequestParser(limits);
        StringBuilder out = new StringBuilder();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] pending = new byte[0];
        int from = 0;
        for (int c = 0; c <= splits.length; c++) {
            int to = c < splits.length ? splits[c] : input.length;
            byte[] chunk = Arrays.copyOfRange(input, from, to);
            from = to;
            byte[] data = concat(pending, chunk);
            ByteBuffer buf = buffer(data, direct).order(order);
            for (;;) {
                int before = buf.position();
                int ev = parser.parse(buf);
                if (buf.position() < before || buf.position() > buf.limit()) {
                    throw new AssertionError("position moved to " + buf.position());
                }
                if (ev == HttpRequestParser.NEED_MORE) {
                    break;
                }
                if (ev == HttpRequestParser.ERROR) {
                    if (body.size() > 0) {
                        byte[] b = body.toByteArray();
                        out.append("body ").append(escape(b, 0, b.length)).append('\n');
                    }
                    out.append("error ").append(parser.error().name()).append('\n');
                    return out.toString();
                }
                if (ev == HttpRequestParser.HEAD || ev == HttpRequestParser.REQUEST || ev == HttpRequestParser.UPGRADE) {
                    head(out, parser, buf, ev);
                    if (ev == HttpRequestParser.UPGRADE) {
                        byte[] rest = new byte[buf.remaining()];
                        buf.get(buf.position(), rest, 0, rest.length);
                        byte[] leftover = concat(rest, Arrays.copyOfRange(input, from, input.length));
                        out.append("leftover ").append(escape(leftover, 0, leftover.length)).append('\n');
                        if (parser.parse(buf) != HttpRequestParser.UPGRADE) {
                            throw new AssertionError("UPGRADE is not terminal");
                        }
                        return out.toString();
                    }
                    if (ev == HttpRequestParser.REQUEST) {
                        out.append("end\n");
                    }
                } else if (ev == HttpRequestParser.BODY) {
                    if (parser.bodyLength() <= 0) {
                        throw new AssertionError("empty BODY event");
                    }
                    for (int j = 0; j < parser.bodyLength(); j++) {
                        body.write(buf.get(parser.bodyStart() + j));
                    }
                } else if (ev == HttpRequestParser.END) {
                    if (body.size() > 0) {
                        byte[] b = body.toByteArray();
                        out.append("body ").append(escape(b, 0, b.length)).append('\n');
                        body.reset();
                    }
                    out.append("end\n");
                } else {
                    throw new AssertionError("event " + ev);
                }
            }
            pending = new byte[buf.remaining()];
            buf.get(buf.position(), pending, 0, pending.length);
        }
        if (!parser.isIdle() || pending.length > 0) {
            out.append("incomplete\n");
        }
        return out.toString();
    }

    static ByteBuffer buffer(byte[] data, boolean direct) {
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(PREFIX + data.length) : ByteBuffer.allocate(PREFIX + data.length);
        for (int j = 0; j < PREFIX; j++) {
            buf.put((byte) 'Z');
        }
        buf.put(data);
        buf.position(PREFIX);
        return buf;
    }

    private static void head(StringBuilder out, HttpRequestParser p, ByteBuffer buf, int ev) {
        out.append(ev == HttpRequestParser.HEAD ? "head " : ev == HttpRequestParser.REQUEST ? "request " : "upgrade ");
        out.append(p.method()).append(' ');
        out.append(span(buf, p.targetStart(), p.targetLength())).append(' ');
        out.append("HTTP/1.").append(p.versionMinor()).append(' ');
        out.append(p.isKeepAlive() ? "keep-alive" : "close");
        if (p.contentLength() >= 0) {
            out.append(" cl=").append(p.contentLength());
        }
        if (p.isChunked()) {
            out.append(" chunked");
        }
        if (p.expectsContinue()) {
            out.append(" continue");
        }
        if (p.isUpgradeRequested()) {
            out.append(" upgrade-requested");
        }
        out.append('\n');
        if (p.authorityStart() >= 0) {
            out.append("absolute ").append(span(buf, p.authorityStart(), p.authorityLength())).append(" origin ")
                    .append(orEmpty(span(buf, p.originFormStart(), p.originFormLength()))).append(" path ")
                    .append(orEmpty(span(buf, p.pathStart(), p.pathLength()))).append('\n');
        }
        for (int i = 0; i < p.headerCount(); i++) {
            out.append("h ").append(span(buf, p.headerNameStart(i), p.headerNameLength(i))).append(": ")
                    .append(span(buf, p.headerValueStart(i), p.headerValueLength(i))).append('\n');
        }
    }

    private static String orEmpty(String s) {
        return s.isEmpty() ? "(empty)" : s;
    }

    private static String span(ByteBuffer buf, int start, int len) {
        byte[] b = new byte[len];
        buf.get(start, b, 0, len);
        return escape(b, 0, len);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    static String escape(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder();
        for (int j = off; j < off + len; j++) {
            int c = b[j] & 0xFF;
            if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c < 0x20 || c >= 0x7F) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** The inverse of {@link #escape}, plus {@code \0}. */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c != '\\') {
                out.write(c);
                continue;
            }
            char n = s.charAt(++j);
            switch (n) {
                case 'r': out.write('\r'); break;
                case 'n': out.write('\n'); break;
                case 't': out.write('\t'); break;
                case '0': out.write(0); break;
                case '\\': out.write('\\'); break;
                case 'x':
                    out.write(Integer.parseInt(s.substring(j + 1, j + 3), 16));
                    j += 2;
                    break;
                default: throw new IllegalArgumentException("bad escape \\" + n);
            }
        }
        return out.toByteArray();
    }
}
