package dev.engineionio.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * Writes HTTP/1.1 responses (RFC 9112 §4, §5, §6) straight into a caller's {@link ByteBuffer}: no String
 * concatenation, no allocation.
 *
 * <h2>Use</h2>
 * <pre>{@code
 * int n = writer.begin(dst, 200)
 *         .header(HttpResponseWriter.CONTENT_TYPE, TEXT_PLAIN_UTF8)
 *         .header(HttpResponseWriter.CACHE_CONTROL, NO_STORE)
 *         .contentLength(body.length)
 *         .connection(parser.isKeepAlive(), parser.isHttp10())
 *         .endHeaders()
 *         .body(body)
 *         .finish();
 * }</pre>
 *
 * <h2>All or nothing</h2>
 * Between {@link #begin} and {@link #finish} the response is written at {@code dst}'s position. If any part does
 * not fit in {@code [position, limit)}, the remaining calls are no-ops and {@link #finish()} returns -1 with
 * {@code dst}'s position back where {@code begin} found it (bytes after it may have been overwritten): the caller
 * retries with a larger buffer, or sends the head and streams the body itself. Otherwise {@code finish()} returns
 * the number of bytes written and the position is after them. The static helpers ({@link #writeError},
 * {@link #writeContinue}) follow the same rule.
 *
 * <h2>Validation</h2>
 * Names must be tokens and values field-vchar/SP/HTAB/obs-text: a CR, LF or other control character (response
 * splitting) or a char above U+00FF is API misuse and throws {@link IllegalArgumentException}. Values copied from a
 * parsed request ({@link #header(byte[], ByteBuffer, int, int)}) were already validated by the parser but are
 * checked again.
 *
 * <h2>Optional headers</h2>
 * {@code Date} ({@link #date(long)}) and {@code Server} are written only when asked for.
 *
 * <p>One instance per event loop, used by one thread; it keeps a reference to {@code dst} only between
 * {@code begin} and {@code finish}.
 */
public final class HttpResponseWriter {
    /** {@code Content-Type}. */
    public static final byte[] CONTENT_TYPE = ascii("Content-Type");
    /** {@code Content-Length}. */
    public static final byte[] CONTENT_LENGTH = ascii("Content-Length");
    /** {@code Connection}. */
    public static final byte[] CONNECTION = ascii("Connection");
    /** {@code cache-control}, spelled as the reference server does. */
    public static final byte[] CACHE_CONTROL = ascii("cache-control");
    /** {@code Set-Cookie}. */
    public static final byte[] SET_COOKIE = ascii("Set-Cookie");
    /** {@code X-XSS-Protection}. */
    public static final byte[] X_XSS_PROTECTION = ascii("X-XSS-Protection");
    /** {@code Access-Control-Allow-Origin}. */
    public static final byte[] ACCESS_CONTROL_ALLOW_ORIGIN = ascii("Access-Control-Allow-Origin");
    /** {@code Access-Control-Allow-Credentials}. */
    public static final byte[] ACCESS_CONTROL_ALLOW_CREDENTIALS = ascii("Access-Control-Allow-Credentials");
    /** {@code Access-Control-Allow-Methods}. */
    public static final byte[] ACCESS_CONTROL_ALLOW_METHODS = ascii("Access-Control-Allow-Methods");
    /** {@code Access-Control-Allow-Headers}. */
    public static final byte[] ACCESS_CONTROL_ALLOW_HEADERS = ascii("Access-Control-Allow-Headers");
    /** {@code Vary}. */
    public static final byte[] VARY = ascii("Vary");
    /** {@code Upgrade}. */
    public static final byte[] UPGRADE = ascii("Upgrade");
    /** {@code Sec-WebSocket-Accept}. */
    public static final byte[] SEC_WEBSOCKET_ACCEPT = ascii("Sec-WebSocket-Accept");
    /** {@code Sec-WebSocket-Protocol}. */
    public static final byte[] SEC_WEBSOCKET_PROTOCOL = ascii("Sec-WebSocket-Protocol");
    /** {@code Sec-WebSocket-Extensions}. */
    public static final byte[] SEC_WEBSOCKET_EXTENSIONS = ascii("Sec-WebSocket-Extensions");
    /** {@code Server}. */
    public static final byte[] SERVER = ascii("Server");
    /** {@code Date}. */
    public static final byte[] DATE = ascii("Date");
    /** {@code Sec-WebSocket-Version}. */
    public static final byte[] SEC_WEBSOCKET_VERSION = ascii("Sec-WebSocket-Version");
    /** {@code text/html}. */
    public static final byte[] TEXT_HTML = ascii("text/html");
    /** The value {@code websocket}. */
    public static final byte[] WEBSOCKET = ascii("websocket");

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CONNECTION_UPGRADE = ascii("Connection: Upgrade\r\n");
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] SWITCHING = ascii("HTTP/1.1 101 Switching Protocols\r\n");
    private static final byte[] DAYS = ascii("ThuFriSatSunMonTueWed");
    private static final byte[] MONTHS = ascii("JanFebMarAprMayJunJulAugSepOctNovDec");
    private static final byte[][] STATUS_LINES = new byte[600][];

    private ByteBuffer dst;
    private int start;
    private boolean overflow;

    /** A writer; holds no buffer until {@link #begin}. */
    public HttpResponseWriter() {
    }

    /** The ASCII bytes of {@code s}, for header name and value constants. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts a response at {@code dst}'s position with the status line {@code HTTP/1.1 <status> <reason>}. */
    public HttpResponseWriter begin(ByteBuffer dst, int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        this.dst = dst;
        this.start = dst.position();
        this.overflow = false;
        return put(statusLine(status));
    }

    /**
     * Starts a {@code 101 Switching Protocols} response with {@code Upgrade: <protocol>} and
     * {@code Connection: Upgrade}; the WebSocket layer adds {@code Sec-WebSocket-Accept} (and any other field),
     * then {@link #endHeaders()} and {@link #finish()}.
     */
    public HttpResponseWriter beginSwitchingProtocols(ByteBuffer dst, byte[] protocol) {
        this.dst = dst;
        this.start = dst.position();
        this.overflow = false;
        return put(SWITCHING).header(UPGRADE, protocol).put(CONNECTION_UPGRADE);
    }

    /** Adds {@code name: value}. */
    public HttpResponseWriter header(byte[] name, byte[] value) {
        checkName(name);
        for (byte b : value) {
            checkValueByte(b & 0xFF);
        }
        if (!fits(name.length + value.length + 4)) {
            return this;
        }
        dst.put(name).put((byte) ':').put((byte) ' ').put(value).put(CRLF);
        return this;
    }

    /** Adds {@code name: value}; chars must be U+0000..U+00FF and valid field-value bytes. */
    public HttpResponseWriter header(byte[] name, CharSequence value) {
        checkName(name);
        int n = value.length();
        for (int j = 0; j < n; j++) {
            checkValueByte(value.charAt(j));
        }
        if (!fits(name.length + n + 4)) {
            return this;
        }
        dst.put(name).put((byte) ':').put((byte) ' ');
        for (int j = 0; j < n; j++) {
            dst.put((byte) value.charAt(j));
        }
        dst.put(CRLF);
        return this;
    }

    /** Adds {@code name: value} with a name given as text (must be a token). */
    public HttpResponseWriter header(CharSequence name, CharSequence value) {
        int n = name.length();
        if (n == 0) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int j = 0; j < n; j++) {
            char c = name.charAt(j);
            if (c > 0xFF || !HttpBytes.TCHAR[c]) {
                throw new IllegalArgumentException("header name is not a token: " + name);
            }
        }
        int vn = value.length();
        for (int j = 0; j < vn; j++) {
            checkValueByte(value.charAt(j));
        }
        if (!fits(n + vn + 4)) {
            return this;
        }
        for (int j = 0; j < n; j++) {
            dst.put((byte) name.charAt(j));
        }
        dst.put((byte) ':').put((byte) ' ');
        for (int j = 0; j < vn; j++) {
            dst.put((byte) value.charAt(j));
        }
        dst.put(CRLF);
        return this;
    }

    /** Adds {@code name: <len bytes at absolute start of src>}, e.g. a request header reflected in a CORS answer. */
    public HttpResponseWriter header(byte[] name, ByteBuffer src, int start, int len) {
        checkName(name);
        for (int j = 0; j < len; j++) {
            checkValueByte(src.get(start + j) & 0xFF);
        }
        if (!fits(name.length + len + 4)) {
            return this;
        }
        dst.put(name).put((byte) ':').put((byte) ' ');
        for (int j = 0; j < len; j++) {
            dst.put(src.get(start + j));
        }
        dst.put(CRLF);
        return this;
    }

    /** Adds {@code Content-Length: n} written as ASCII digits. */
    public HttpResponseWriter contentLength(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative length " + n);
        }
        if (!fits(CONTENT_LENGTH.length + 4 + digits(n))) {
            return this;
        }
        dst.put(CONTENT_LENGTH).put((byte) ':').put((byte) ' ');
        putDigits(n);
        dst.put(CRLF);
        return this;
    }

    /**
     * Adds the Connection field the request's persistence calls for (RFC 9112 §9.3, §9.6):
     * {@code Connection: close} when not keeping alive, {@code Connection: keep-alive} for a persistent HTTP/1.0
     * request, nothing for a persistent HTTP/1.1 request.
     */
    public HttpResponseWriter connection(boolean keepAlive, boolean http10) {
        if (!keepAlive) {
            return put(CONNECTION_CLOSE);
        }
        return http10 ? put(CONNECTION_KEEP_ALIVE) : this;
    }

    /** Adds {@code Date: <IMF-fixdate>} (RFC 9110 §5.6.7) for {@code epochMillis}, given by the caller's clock. */
    public HttpResponseWriter date(long epochMillis) {
        if (!fits(DATE.length + 2 + 29 + 2)) {
            return this;
        }
        long secs = Math.floorDiv(epochMillis, 1000L);
        long days = Math.floorDiv(secs, 86400L);
        int sod = (int) Math.floorMod(secs, 86400L);
        // Civil-from-days, Howard Hinnant's algorithm (days since 1970-01-01 to y/m/d, proleptic Gregorian).
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        int dow = (int) Math.floorMod(days, 7L);
        dst.put(DATE).put((byte) ':').put((byte) ' ');
        dst.put(DAYS, dow * 3, 3).put((byte) ',').put((byte) ' ');
        put2(day);
        dst.put((byte) ' ').put(MONTHS, (month - 1) * 3, 3).put((byte) ' ');
        put2((int) (year / 100 % 100));
        put2((int) (year % 100));
        dst.put((byte) ' ');
        put2(sod / 3600);
        dst.put((byte) ':');
        put2(sod / 60 % 60);
        dst.put((byte) ':');
        put2(sod % 60);
        dst.put((byte) ' ').put((byte) 'G').put((byte) 'M').put((byte) 'T').put(CRLF);
        return this;
    }

    /** Ends the header section (the empty line). */
    public HttpResponseWriter endHeaders() {
        return put(CRLF);
    }

    /** Appends body bytes. */
    public HttpResponseWriter body(byte[] b) {
        return put(b);
    }

    /** Appends the {@code len} body bytes at absolute {@code start} of {@code src} (its position is untouched). */
    public HttpResponseWriter body(ByteBuffer src, int start, int len) {
        if (!fits(len)) {
            return this;
        }
        dst.put(dst.position(), src, start, len);
        dst.position(dst.position() + len);
        return this;
    }

    /**
     * Ends the response: the number of bytes written since {@link #begin}, or -1 if something did not fit, in which
     * case {@code dst}'s position is restored to where {@code begin} found it.
     */
    public int finish() {
        ByteBuffer d = dst;
        dst = null;
        if (d == null) {
            throw new IllegalStateException("finish() without begin()");
        }
        if (overflow) {
            d.position(start);
            return -1;
        }
        return d.position() - start;
    }

    /**
     * Writes the canned response of {@code error}: status line, {@code Connection: close}, plain-text content type,
     * Content-Length and the reason as body. Returns the bytes written, or -1 (nothing written) if it does not fit.
     */
    public static int writeError(ByteBuffer dst, HttpError error) {
        return putWhole(dst, error.cannedResponse());
    }

    /**
     * A complete response built once (a class constant answered as is, e.g. {@link HttpError#cannedResponse()}):
     * {@code HTTP/1.1 <status> <reason>}, then whatever {@code rest} writes (header fields, the blank line, a body).
     * Allocates; for class initialisation, never per request.
     *
     * @param status the status code
     * @param rest   writes the rest of the response on the writer it is given and returns it
     * @return the response's bytes
     * @throws IllegalArgumentException if the response exceeds 4 KiB
     */
    public static byte[] canned(int status, UnaryOperator<HttpResponseWriter> rest) {
        ByteBuffer dst = ByteBuffer.allocate(4096);
        int n = rest.apply(new HttpResponseWriter().begin(dst, status)).finish();
        if (n < 0) {
            throw new IllegalArgumentException("canned response over 4096 bytes");
        }
        return Arrays.copyOf(dst.array(), n);
    }

    /** Writes {@code HTTP/1.1 100 Continue\r\n\r\n}; returns 25, or -1 (nothing written) if it does not fit. */
    public static int writeContinue(ByteBuffer dst) {
        return putWhole(dst, CONTINUE);
    }

    private static int putWhole(ByteBuffer dst, byte[] bytes) {
        if (dst.remaining() < bytes.length) {
            return -1;
        }
        dst.put(bytes);
        return bytes.length;
    }

    private HttpResponseWriter put(byte[] b) {
        if (fits(b.length)) {
            dst.put(b);
        }
        return this;
    }

    private boolean fits(int n) {
        if (dst == null) {
            throw new IllegalStateException("no response begun");
        }
        if (overflow) {
            return false;
        }
        if (dst.remaining() < n) {
            overflow = true;
            return false;
        }
        return true;
    }

    private void put2(int v) {
        dst.put((byte) ('0' + v / 10)).put((byte) ('0' + v % 10));
    }

    private static int digits(long n) {
        int d = 1;
        while (n >= 10) {
            n /= 10;
            d++;
        }
        return d;
    }

    private void putDigits(long n) {
        int d = digits(n);
        int p = dst.position();
        for (int j = d - 1; j >= 0; j--) {
            dst.put(p + j, (byte) ('0' + n % 10));
            n /= 10;
        }
        dst.position(p + d);
    }

    private static byte[] statusLine(int status) {
        return STATUS_LINES[status];
    }

    private static void checkName(byte[] name) {
        if (name.length == 0) {
            throw new IllegalArgumentException("empty header name");
        }
        for (byte b : name) {
            if (!HttpBytes.TCHAR[b & 0xFF]) {
                throw new IllegalArgumentException("header name is not a token");
            }
        }
    }

    private static void checkValueByte(int c) {
        if (c > 0xFF || !HttpBytes.FIELD_VALUE[c]) {
            throw new IllegalArgumentException("header value has a forbidden character: 0x" + Integer.toHexString(c));
        }
    }

    static {
        for (int s = 100; s < STATUS_LINES.length; s++) {
            STATUS_LINES[s] = ascii("HTTP/1.1 " + s + ' ' + HttpStatus.reasonPhrase(s) + "\r\n");
        }
    }
}
