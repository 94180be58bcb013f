package dev.engineionio.http;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An incremental, sans-I/O HTTP/1.1 request parser (RFC 9112, semantics from RFC 9110). Bytes in, one event out per
 * call; results are spans (absolute index + length) into the caller's buffer. No channel, no clock, no exception
 * for bad input, no allocation after construction.
 *
 * <h2>Thread and ownership</h2>
 * One instance per connection, called by the thread that owns the connection (its event loop). The parser keeps no
 * reference to any buffer between calls.
 *
 * <h2>Buffer contract (with the NIO driver)</h2>
 * <ol>
 * <li>Call {@link #parse(ByteBuffer)} with {@code src} positioned at the first unconsumed byte; the parser reads
 *     {@code [position, limit)} only, using absolute gets, and advances {@code position} past what it consumed.</li>
 * <li>Whatever is left unconsumed the caller keeps and presents again at the start of the next call's {@code src}
 *     (at its position), followed by newly read bytes. The caller may move (compact) those bytes in between.</li>
 * <li>A request head is consumed only when it is complete. Until then the parser remembers how far it scanned,
 *     as an offset from {@code position}, and resumes there: the scan never restarts, however the input is split
 *     (a {@code \r\n\r\n} split across reads costs nothing extra). Once a field line is complete, the checks of
 *     a few known fields (Host, Content-Length, Transfer-Encoding, Connection, Expect) read that value once more,
 *     and trailing whitespace is trimmed by looking back from the CR. The span accessors of a head are absolute
 *     indexes into the {@code src} of the call that returned {@link #HEAD}, {@link #REQUEST} or {@link #UPGRADE}
 *     (they point before its new position), valid until the next call or until the caller changes the buffer.</li>
 * <li>Body bytes are consumed as they arrive and delivered as one span per {@link #BODY} event, valid until the
 *     next call; chunked framing is consumed as it is scanned, so a large body is never buffered by the parser.</li>
 * <li>After {@link #UPGRADE} the position is just past the upgrade request's head and every following byte is left
 *     unconsumed for the next protocol layer. After {@link #ERROR} nothing more is consumed: the caller answers
 *     {@link HttpError#status()} (e.g. with {@link HttpResponseWriter#writeError}) and closes.</li>
 * </ol>
 *
 * <h2>Events</h2>
 * {@link #NEED_MORE}; {@link #REQUEST} (head complete, no body: the request is complete); {@link #HEAD} (head
 * complete, a body follows: then {@link #BODY}* and {@link #END}); {@link #UPGRADE}; {@link #ERROR}. After
 * {@link #REQUEST} or {@link #END} the next call starts the next (pipelined or keep-alive) request by itself;
 * {@link #reset()} forgets everything, e.g. to reuse the parser after {@link #UPGRADE} or {@link #ERROR}, which are
 * terminal until then (further calls return them again and consume nothing). Call in a loop until
 * {@code NEED_MORE}, {@code UPGRADE} or {@code ERROR}; pipelined requests come out one after another in order, and
 * a caller that must answer in order simply stops calling until it has.
 *
 * <h2>Decisions where RFC 9112 lets a recipient choose</h2>
 * <ul>
 * <li>Line endings: CRLF only. A bare LF (allowed by §2.2 as a MAY) and a bare CR (must not be accepted) are both
 *     400, everywhere: request line, fields, chunk lines, trailers.</li>
 * <li>Empty lines before the request line are ignored (§2.2), at most the request-line limit of them.</li>
 * <li>Request line: exactly one SP between parts (§3); HTTP-version case-sensitive {@code HTTP/d.d} (§2.3);
 *     major 1 only, else 505; minor 0 is HTTP/1.0, any other minor is handled as 1.1 (RFC 9110 §6.2).</li>
 * <li>Targets: origin-form, absolute-form ({@code http://} or {@code https://}, scheme case-insensitive, then an
 *     authority {@code uri-host [":" port]} without userinfo; path and query split out, and the Host field's value
 *     replaced by the authority, §3.2.2), asterisk-form for OPTIONS only. CONNECT is rejected (501).</li>
 * <li>Whitespace before a colon, obs-fold and whitespace after the request line: 400 (§5.1, §5.2, §2.2).</li>
 * <li>Host: exactly one; required in HTTP/1.1 (also with an absolute-form target, which then replaces its value);
 *     may be empty; validated as uri-host [":" port] (§3.2).</li>
 * <li>Content-Length: {@code 1*DIGIT}, at most 18 digits; repeated lines or list elements with identical values
 *     are accepted as one (RFC 9110 §8.6), differing values are 400.</li>
 * <li>Transfer-Encoding with Content-Length: 400 (§6.3 item 3). In HTTP/1.0: 400 (§6.1). Chunked must be the
 *     final coding and appear once, else 400 (§6.3 item 4); any other coding before it: 501 (§6.1). So
 *     {@code xchunked} and {@code chunked, gzip} are 400, {@code gzip, chunked} is 501.</li>
 * <li>Chunks (§7.1): chunk-size is 1..16 hex digits, then optional {@code BWS ";" ext} (extensions and trailers
 *     are checked for control characters, bounded, and ignored), then CRLF; chunk data must end with CRLF.</li>
 * <li>Expect: {@code 100-continue} (case-insensitive) is reported by {@link #expectsContinue()} for HTTP/1.1
 *     (ignored for 1.0, RFC 9110 §10.1.1); any other expectation is 417.</li>
 * <li>Upgrade (RFC 9110 §7.8): reported as {@link #UPGRADE} when an HTTP/1.1 request has an Upgrade field, a
 *     {@code Connection: upgrade} token and no body; otherwise the Upgrade field is ignored and the request is an
 *     ordinary one.</li>
 * <li>Keep-alive (§9.3): HTTP/1.1 persists unless a Connection {@code close} token; HTTP/1.0 closes unless a
 *     {@code keep-alive} token; tokens from every Connection line count.</li>
 * <li>Requests without Content-Length or Transfer-Encoding have no body (§6.3 item 7).</li>
 * </ul>
 *
 * <h2>Speed</h2>
 * Targets, field names and field values are scanned eight bytes at a time ({@code ByteBuffer.getLong} and exact
 * per-byte SWAR tests, correct in either byte order), jumping straight to the byte that ends the run; everything
 * else is a byte loop over lookup tables. Known fields are identified from their length and end bytes, then one
 * compare. The hot method holds the head states in one {@code switch} whose cases fall through, so a complete field
 * line costs one dispatch.
 *
 * <h2>Limits</h2>
 * See {@link HttpLimits}: request line 8 KiB (414), header section 16 KiB (431), 100 fields (431), body 1 MiB
 * (413), chunk extension 1 KiB (400), trailers 4 KiB (431). Each is checked when a byte beyond it would have to be
 * examined, so the outcome does not depend on how the input is split.
 */
public final class HttpRequestParser {
    /** The head is incomplete or all body bytes available were consumed: call again with more input. */
    public static final int NEED_MORE = 0;
    /** The head is complete and a body follows: call again for {@link #BODY} events and {@link #END}. */
    public static final int HEAD = 1;
    /** The head is complete and the request has no body: the request is complete. */
    public static final int REQUEST = 2;
    /** Body bytes at {@link #bodyStart()}, {@link #bodyLength()} bytes long (already consumed). */
    public static final int BODY = 3;
    /** The body (and any trailers) ended: the request is complete. */
    public static final int END = 4;
    /** An upgrade request's head is complete; following bytes are left unconsumed for the next layer. Terminal. */
    public static final int UPGRADE = 5;
    /** The request was rejected: see {@link #error()}. Terminal; the connection must be closed. */
    public static final int ERROR = 6;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HTAB = '\t';

    // Head states (bytes stay unconsumed; offsets are relative to the position of the call).
    private static final int S_IDLE = 0;
    private static final int S_LEADING_LF = 1;
    private static final int S_METHOD = 2;
    private static final int S_TARGET = 3;
    private static final int S_VERSION = 4;
    private static final int S_RL_LF = 5;
    private static final int S_LINE_START = 6;
    private static final int S_NAME = 7;
    private static final int S_OWS = 8;
    private static final int S_VALUE = 9;
    private static final int S_LINE_LF = 10;
    private static final int S_END_LF = 11;
    // Body states (bytes consumed as scanned).
    private static final int S_BODY_CL = 20;
    private static final int S_BODY_LAST = 21;
    private static final int S_CHUNK_SIZE = 22;
    private static final int S_CHUNK_BWS = 23;
    private static final int S_CHUNK_EXT = 24;
    private static final int S_CHUNK_SIZE_LF = 25;
    private static final int S_CHUNK_DATA = 26;
    private static final int S_CHUNK_DATA_CR = 27;
    private static final int S_CHUNK_DATA_LF = 28;
    private static final int S_TRAILER_START = 29;
    private static final int S_TRAILER_NAME = 30;
    private static final int S_TRAILER_VALUE = 31;
    private static final int S_TRAILER_LF = 32;
    private static final int S_TRAILER_END_LF = 33;
    // Terminal and between-requests states.
    private static final int S_DONE = 40;
    private static final int S_UPGRADED = 41;
    private static final int S_ERROR = 42;

    private static final byte[] CLOSE = {'c', 'l', 'o', 's', 'e'};
    private static final byte[] KEEP_ALIVE = {'k', 'e', 'e', 'p', '-', 'a', 'l', 'i', 'v', 'e'};
    private static final byte[] UPGRADE_TOKEN = {'u', 'p', 'g', 'r', 'a', 'd', 'e'};
    private static final byte[] CHUNKED = {'c', 'h', 'u', 'n', 'k', 'e', 'd'};
    private static final byte[] CONTINUE_100 = {'1', '0', '0', '-', 'c', 'o', 'n', 't', 'i', 'n', 'u', 'e'};

    private final int maxRequestLine;
    private final int maxHeaderSection;
    private final int maxHeaders;
    private final long maxBody;
    private final int maxChunkExt;
    private final int maxTrailer;

    // Per-header spans, relative to the head start until the head completes.
    private final int[] nameStart;
    private final int[] nameLen;
    private final int[] valueStart;
    private final int[] valueLen;
    private final KnownHeader[] headerKnown;
    private final int[] knownIndex = new int[KnownHeader.COUNT];

    private int state = S_IDLE;
    private int scan;
    private HttpError error;

    // Request line.
    private int rlStart;
    private HttpMethod method;
    private int methodLen;
    private int targetStart;
    private int targetLen;
    private int queryMark;
    private int pathStart;
    /** Absolute-form only: the authority's start (relative, like the other head spans), else -1. */
    private int authorityStart;
    private int authorityLen;
    private int versionIndex;
    private int versionMajor;
    private int versionMinor;
    private int headerSectionStart;

    // Current header line.
    private int headerCount;
    private int curNameStart;
    private KnownHeader curKnown;
    private int curValueStart;
    private int curValueLen;

    // Semantics gathered from the fields.
    private int hostCount;
    private long contentLength;
    private boolean transferEncoding;
    private int teCodings;
    private int teChunkedCount;
    private boolean teLastChunked;
    private boolean teOther;
    private boolean teInvalid;
    private boolean connClose;
    private boolean connKeepAlive;
    private boolean connUpgrade;
    private boolean expectContinue;
    private boolean expectOther;

    // Results.
    private int base;
    private int headLength;
    private boolean keepAlive;
    private boolean chunked;
    private boolean upgradeRequested;
    private int bodyStart;
    private int bodyLength;

    // Body.
    private long remaining;
    private long bodyTotal;
    private int chunkDigits;
    private long chunkSize;
    private int chunkExtLen;
    private int trailerBytes;

    /** A parser with the given limits; allocates its per-header arrays once. */
    public HttpRequestParser(HttpLimits limits) {
        this.maxRequestLine = limits.maxRequestLineLength();
        this.maxHeaderSection = limits.maxHeaderSectionSize();
        this.maxHeaders = limits.maxHeaderCount();
        this.maxBody = limits.maxBodySize();
        this.maxChunkExt = limits.maxChunkExtensionSize();
        this.maxTrailer = limits.maxTrailerSectionSize();
        this.nameStart = new int[maxHeaders];
        this.nameLen = new int[maxHeaders];
        this.valueStart = new int[maxHeaders];
        this.valueLen = new int[maxHeaders];
        this.headerKnown = new KnownHeader[maxHeaders];
        reset();
    }

    /** A parser with {@link HttpLimits#DEFAULTS}. */
    public HttpRequestParser() {
        this(HttpLimits.DEFAULTS);
    }

    /** Forgets any request in progress, error or upgrade: the next call parses a new request from its first byte. */
    public void reset() {
        state = S_IDLE;
        error = null;
        startRequest();
    }

    private void startRequest() {
        scan = 0;
        rlStart = 0;
        method = null;
        queryMark = -1;
        authorityStart = -1;
        authorityLen = 0;
        versionIndex = 0;
        headerCount = 0;
        Arrays.fill(knownIndex, -1);
        hostCount = 0;
        contentLength = -1;
        transferEncoding = false;
        teCodings = 0;
        teChunkedCount = 0;
        teLastChunked = false;
        teOther = false;
        teInvalid = false;
        connClose = false;
        connKeepAlive = false;
        connUpgrade = false;
        expectContinue = false;
        expectOther = false;
        keepAlive = false;
        chunked = false;
        upgradeRequested = false;
        bodyStart = 0;
        bodyLength = 0;
        remaining = 0;
        bodyTotal = 0;
        headLength = 0;
    }

    /**
     * Parses from {@code src.position()} up to {@code src.limit()} and returns one event; see the class Javadoc for
     * the buffer contract. Never throws for any input (an {@link IndexOutOfBoundsException} could only come from a
     * caller that changed the buffer's contents under a span).
     */
    public int parse(ByteBuffer src) {
        switch (state) {
            case S_DONE:
                startRequest();
                state = S_IDLE;
                return parseHead(src);
            case S_ERROR:
                return ERROR;
            case S_UPGRADED:
                return UPGRADE;
            default:
                return state < S_BODY_CL ? parseHead(src) : parseBody(src);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Head

    @SuppressWarnings("fallthrough") // each state falls into the next when its bytes are there: one dispatch per line
    private int parseHead(ByteBuffer src) {
        final int pos = src.position();
        final int lim = src.limit();
        int i = pos + scan;
        int st = state;
        for (;;) {
            switch (st) {
                case S_LEADING_LF: {
                    if (i >= lim) {
                        return needMore(pos, i, st);
                    }
                    if (src.get(i) != LF) {
                        return fail(HttpError.BARE_CR);
                    }
                    i++;
                    st = S_IDLE;
                    continue;
                }
                case S_IDLE: {
                    // RFC 9112 §2.2: ignore empty lines before the request-line.
                    int hard = pos + maxRequestLine;
                    if (i >= hard) {
                        return fail(HttpError.REQUEST_LINE_TOO_LONG);
                    }
                    if (i >= lim) {
                        return needMore(pos, i, st);
                    }
                    byte b = src.get(i);
                    if (b == CR) {
                        i++;
                        st = S_LEADING_LF;
                        continue;
                    }
                    if (b == LF) {
                        return fail(HttpError.BARE_LF);
                    }
                    rlStart = i - pos;
                    st = S_METHOD;
                }
                // fall through
                case S_METHOD: {
                    // method = token
                    int hard = pos + rlStart + maxRequestLine;
                    int stop = Math.min(lim, hard);
                    while (i < stop && HttpBytes.TCHAR[src.get(i) & 0xFF]) {
                        i++;
                    }
                    if (i == stop) {
                        return i >= hard ? fail(HttpError.REQUEST_LINE_TOO_LONG) : needMore(pos, i, st);
                    }
                    int ms = pos + rlStart;
                    if (src.get(i) != SP || i == ms) {
                        return fail(HttpError.INVALID_METHOD);
                    }
                    methodLen = i - ms;
                    method = HttpMethod.lookup(src, ms, methodLen);
                    if (method == HttpMethod.CONNECT) {
                        return fail(HttpError.CONNECT_NOT_SUPPORTED);
                    }
                    i++;
                    targetStart = i - pos;
                    st = S_TARGET;
                }
                // fall through
                case S_TARGET: {
                    int hard = pos + rlStart + maxRequestLine;
                    int stop = Math.min(lim, hard);
                    int q = queryMark;
                    scan:
                    while (i < stop) {
                        while (i + 8 <= stop && plainTargetWord(src.getLong(i))) {
                            i += 8;
                        }
                        // After a word with a '?' or a bad byte, go byte by byte through the next eight.
                        for (int e = Math.min(stop, i + 8); i < e; i++) {
                            int b = src.get(i) & 0xFF;
                            if (!HttpBytes.TARGET[b]) {
                                break scan;
                            }
                            if (b == '?' && q < 0) {
                                q = i - pos;
                            }
                        }
                    }
                    queryMark = q;
                    if (i == stop) {
                        return i >= hard ? fail(HttpError.REQUEST_LINE_TOO_LONG) : needMore(pos, i, st);
                    }
                    byte b = src.get(i);
                    if (b != SP) {
                        return fail(b == CR || b == LF ? HttpError.INVALID_VERSION : HttpError.INVALID_TARGET);
                    }
                    targetLen = i - pos - targetStart;
                    if (targetLen == 0 || !classifyTarget(src, pos)) {
                        return fail(HttpError.INVALID_TARGET);
                    }
                    i++;
                    versionIndex = 0;
                    st = S_VERSION;
                }
                // fall through
                case S_VERSION: {
                    // HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive, then CRLF.
                    int hard = pos + rlStart + maxRequestLine;
                    while (i < lim) {
                        int b = src.get(i);
                        int vi = versionIndex;
                        if (vi == 8) {
                            if (b != CR) {
                                if (i >= hard) {
                                    return fail(HttpError.REQUEST_LINE_TOO_LONG);
                                }
                                return fail(b == LF ? HttpError.BARE_LF : HttpError.INVALID_VERSION);
                            }
                            if (versionMajor != 1) {
                                return fail(HttpError.UNSUPPORTED_VERSION);
                            }
                            i++;
                            st = S_RL_LF;
                            break;
                        }
                        if (i >= hard) {
                            return fail(HttpError.REQUEST_LINE_TOO_LONG);
                        }
                        boolean ok;
                        switch (vi) {
                            case 0: ok = b == 'H'; break;
                            case 1: case 2: ok = b == 'T'; break;
                            case 3: ok = b == 'P'; break;
                            case 4: ok = b == '/'; break;
                            case 5: ok = b >= '0' && b <= '9'; versionMajor = b - '0'; break;
                            case 6: ok = b == '.'; break;
                            default: ok = b >= '0' && b <= '9'; versionMinor = b - '0'; break;
                        }
                        if (!ok) {
                            return fail(HttpError.INVALID_VERSION);
                        }
                        versionIndex = vi + 1;
                        i++;
                    }
                    if (st == S_VERSION) {
                        return i >= hard && versionIndex < 8 ? fail(HttpError.REQUEST_LINE_TOO_LONG) : needMore(pos, i, st);
                    }
                }
                // fall through
                case S_RL_LF: {
                    if (i >= lim) {
                        return needMore(pos, i, st);
                    }
                    if (src.get(i) != LF) {
                        return fail(HttpError.BARE_CR);
                    }
                    i++;
                    headerSectionStart = i - pos;
                    st = S_LINE_START;
                }
                // fall through
                case S_LINE_START: {
                    int hard = pos + headerSectionStart + maxHeaderSection;
                    if (i >= hard) {
                        return fail(HttpError.HEADER_SECTION_TOO_LARGE);
                    }
                    if (i >= lim) {
                        return needMore(pos, i, st);
                    }
                    int b = src.get(i) & 0xFF;
                    if (!HttpBytes.TCHAR[b]) {
                        if (b == CR) {
                            i++;
                            st = S_END_LF;
                            continue;
                        }
                        return fail(lineStartError(b));
                    }
                    if (headerCount == maxHeaders) {
                        return fail(HttpError.TOO_MANY_HEADERS);
                    }
                    curNameStart = i - pos;
                    st = S_NAME;
                }
                // fall through
                case S_NAME: {
                    int hard = pos + headerSectionStart + maxHeaderSection;
                    int stop = Math.min(lim, hard);
                    int b = 0;
                    boolean bigEndian = src.order() == ByteOrder.BIG_ENDIAN;
                    for (;;) {
                        // Eight bytes at a time while they are letters, digits or '-' (nearly every real name);
                        // otherwise straight to the first other byte (the colon, usually).
                        if (i + 8 <= stop) {
                            long other = nameOtherBytes(src.getLong(i));
                            if (other == 0) {
                                i += 8;
                                continue;
                            }
                            i += firstMarked(other, bigEndian);
                        } else if (i >= stop) {
                            break;
                        }
                        b = src.get(i) & 0xFF;
                        if (!HttpBytes.TCHAR[b]) {
                            break;
                        }
                        i++;
                    }
                    if (i == stop) {
                        return i >= hard ? fail(HttpError.HEADER_SECTION_TOO_LARGE) : needMore(pos, i, st);
                    }
                    if (b != ':') {
                        return fail(nameEndError(b));
                    }
                    curKnown = KnownHeader.lookup(src, pos + curNameStart, i - pos - curNameStart);
                    nameLen[headerCount] = i - pos - curNameStart;
                    i++;
                    st = S_OWS;
                }
                // fall through
                case S_OWS: {
                    int hard = pos + headerSectionStart + maxHeaderSection;
                    int stop = Math.min(lim, hard);
                    while (i < stop) {
                        byte b = src.get(i);
                        if (b != SP && b != HTAB) {
                            break;
                        }
                        i++;
                    }
                    if (i == stop) {
                        return i >= hard ? fail(HttpError.HEADER_SECTION_TOO_LARGE) : needMore(pos, i, st);
                    }
                    curValueStart = i - pos;
                    st = S_VALUE;
                }
                // fall through
                case S_VALUE: {
                    int hard = pos + headerSectionStart + maxHeaderSection;
                    int stop = Math.min(lim, hard);
                    int b = 0;
                    boolean bigEndian = src.order() == ByteOrder.BIG_ENDIAN;
                    for (;;) {
                        // Eight bytes at a time while none is a CTL or DEL; otherwise straight to the first one
                        // (the CR that ends the value, usually; an HTAB is let through).
                        if (i + 8 <= stop) {
                            long ctl = valueControlBytes(src.getLong(i));
                            if (ctl == 0) {
                                i += 8;
                                continue;
                            }
                            i += firstMarked(ctl, bigEndian);
                        } else if (i >= stop) {
                            break;
                        }
                        b = src.get(i) & 0xFF;
                        if (!HttpBytes.FIELD_VALUE[b]) {
                            break;
                        }
                        i++;
                    }
                    if (i >= stop) {
                        return i >= hard ? fail(HttpError.HEADER_SECTION_TOO_LARGE) : needMore(pos, i, st);
                    }
                    if (b != CR) {
                        return fail(b == LF ? HttpError.BARE_LF : HttpError.INVALID_HEADER_VALUE);
                    }
                    // Trailing OWS is not part of the value (RFC 9110 §5.5).
                    int vs = pos + curValueStart;
                    int e = i;
                    while (e > vs && HttpBytes.isOws(src.get(e - 1))) {
                        e--;
                    }
                    curValueLen = e - vs;
                    i++;
                    st = S_LINE_LF;
                }
                // fall through
                case S_LINE_LF: {
                    if (i >= pos + headerSectionStart + maxHeaderSection) {
                        return fail(HttpError.HEADER_SECTION_TOO_LARGE);
                    }
                    if (i >= lim) {
                        return needMore(pos, i, st);
                    }
                    if (src.get(i) != LF) {
                        return fail(HttpError.BARE_CR);
                    }
                    i++;
                    int n = headerCount;
                    nameStart[n] = curNameStart;
                    valueStart[n] = curValueStart;
                    valueLen[n] = curValueLen;
                    KnownHeader k = curKnown;
                    headerKnown[n] = k;
                    headerCount = n + 1;
                    if (k != null) {
                        if (knownIndex[k.ordinal()] < 0) {
                            knownIndex[k.ordinal()] = n;
                        }
                        HttpError err = onKnownHeader(k, src, pos + curValueStart, curValueLen);
                        if (err != null) {
                            return fail(err);
                        }
                    }
                    st = S_LINE_START;
                    continue;
                }
                case S_END_LF: {
                    if (i >= pos + headerSectionStart + maxHeaderSection) {
                        return fail(HttpError.HEADER_SECTION_TOO_LARGE);
                    }
                    if (i >= lim) {
                        return needMore(pos, i, st);
                    }
                    if (src.get(i) != LF) {
                        return fail(HttpError.BARE_CR);
                    }
                    return completeHead(src, pos, i + 1);
                }
                default:
                    throw new IllegalStateException("head state " + st);
            }
        }
    }

    // Eight-byte tests ("SWAR", after "Bit Twiddling Hacks"). Each returns the top bit of every byte that is
    // marked, exactly: with the top bits cleared first, adding a constant below 0x80 to each byte never carries
    // into the next byte, so adding 0x80 - lo sets a byte's top bit iff it is >= lo, and adding 0x7F iff it is not 0.

    private static final long HIGH = 0x8080808080808080L;
    private static final long LOW7 = 0x7F7F7F7F7F7F7F7FL;
    private static final long ONES = 0x0101010101010101L;

    /** Marks the bytes below 0x20 and the byte 0x7F: CTLs (HTAB included) and DEL. Bytes >= 0x80 are obs-text. */
    static long valueControlBytes(long w) {
        long below20 = ~((w & LOW7) + 0x60 * ONES) & ~w;
        long y = w ^ LOW7;
        long del = ~(((y & LOW7) + LOW7) | y);
        return (below20 | del) & HIGH;
    }

    /** Marks the bytes that are not ASCII letters, digits or '-'. */
    static long nameOtherBytes(long w) {
        long lo = w & LOW7;
        long l = lo | 0x20 * ONES;
        long alpha = (l + (0x80 - 'a') * ONES) & ~(l + (0x7F - 'z') * ONES);
        long digit = (lo + (0x80 - '0') * ONES) & ~(lo + (0x7F - '9') * ONES);
        long d = lo ^ '-' * ONES;
        long dash = ~((d + LOW7) | d);
        return ~((alpha | digit | dash) & ~w) & HIGH;
    }

    /** Index (0..7) of the first marked byte of a word read with {@code ByteBuffer.getLong} in the given order. */
    static int firstMarked(long marks, boolean bigEndian) {
        return (bigEndian ? Long.numberOfLeadingZeros(marks) : Long.numberOfTrailingZeros(marks)) >>> 3;
    }

    /**
     * Whether all eight bytes are target bytes other than {@code ?} (which the byte loop must see): none below 0x21,
     * none 0x7F or above, none of {@code "#<>\}. Existence tests only ("Bit Twiddling Hacks" haszero).
     */
    static boolean plainTargetWord(long w) {
        long bad = (w - 0x2121212121212121L) & ~w;
        bad |= w | (w + 0x0101010101010101L);
        bad |= hasZeroByte(w ^ 0x3F3F3F3F3F3F3F3FL) | hasZeroByte(w ^ 0x2222222222222222L)
                | hasZeroByte(w ^ 0x2323232323232323L) | hasZeroByte(w ^ 0x3C3C3C3C3C3C3C3CL)
                | hasZeroByte(w ^ 0x3E3E3E3E3E3E3E3EL) | hasZeroByte(w ^ 0x5C5C5C5C5C5C5C5CL);
        return (bad & 0x8080808080808080L) == 0;
    }

    private static long hasZeroByte(long x) {
        return (x - 0x0101010101010101L) & ~x;
    }

    private static HttpError lineStartError(int b) {
        if (b == SP || b == HTAB) {
            return HttpError.OBS_FOLD;
        }
        return b == LF ? HttpError.BARE_LF : HttpError.INVALID_HEADER_NAME;
    }

    private static HttpError nameEndError(int b) {
        if (b == SP || b == HTAB) {
            return HttpError.WHITESPACE_BEFORE_COLON;
        }
        return b == CR || b == LF ? HttpError.MISSING_COLON : HttpError.INVALID_HEADER_NAME;
    }

    private int needMore(int pos, int i, int st) {
        scan = i - pos;
        state = st;
        return NEED_MORE;
    }

    private int fail(HttpError e) {
        error = e;
        state = S_ERROR;
        return ERROR;
    }

    /** Splits the target into path and query; false if it is not origin-, absolute- or asterisk-form. */
    private boolean classifyTarget(ByteBuffer src, int pos) {
        int ts = pos + targetStart;
        int te = ts + targetLen;
        byte first = src.get(ts);
        int pathEnd = queryMark >= 0 ? pos + queryMark : te;
        if (first == '/') {
            pathStart = targetStart;
            return true;
        }
        if (first == '*') {
            pathStart = targetStart;
            return targetLen == 1 && method == HttpMethod.OPTIONS;
        }
        // absolute-form = absolute-URI; only the http and https schemes are meaningful here (RFC 9112 §3.2.2).
        int p = ts;
        if (!schemeMatches(src, p, te, "http://")) {
            if (!schemeMatches(src, p, te, "https://")) {
                return false;
            }
            p += 8;
        } else {
            p += 7;
        }
        int authority = p;
        while (p < pathEnd && src.get(p) != '/') {
            p++;
        }
        if (!isAuthority(src, authority, p)) {
            return false;
        }
        authorityStart = authority - pos;
        authorityLen = p - authority;
        pathStart = p - pos;
        return true;
    }

    /**
     * {@code authority = uri-host [ ":" port ]} of an http(s) URI, the bytes {@code [start, end)}:
     * <pre>
     * uri-host   = IP-literal / IPv4address / reg-name     (RFC 3986 §3.2.2)
     * IP-literal = "[" ( IPv6address / IPvFuture ) "]"
     * reg-name   = *( unreserved / pct-encoded / sub-delims )
     * port       = *DIGIT
     * </pre>
     * The host must not be empty (RFC 9110 §4.2.1) and userinfo ({@code user@}) is an error (RFC 9110 §4.2.4: a
     * recipient "SHOULD parse for userinfo and treat its presence as an error"). The inside of an IP-literal is
     * checked for its character set only (hex digits, {@code :}, {@code .}, and the IPvFuture and zone bytes of
     * {@link HttpBytes#HOST}), not for a well-formed address.
     */
    private static boolean isAuthority(ByteBuffer src, int start, int end) {
        int p = start;
        if (p < end && src.get(p) == '[') {
            p++;
            while (p < end && src.get(p) != ']') {
                int b = src.get(p) & 0xFF;
                if (!HttpBytes.HOST[b] || b == '[') {
                    return false;
                }
                p++;
            }
            if (p == end || p == start + 1) {
                return false; // no "]", or "[]"
            }
            p++;
        } else {
            while (p < end && src.get(p) != ':') {
                int b = src.get(p) & 0xFF;
                if (!HttpBytes.HOST[b] || b == '[' || b == ']') {
                    return false;
                }
                p++;
            }
            if (p == start) {
                return false; // empty host
            }
        }
        if (p == end) {
            return true;
        }
        if (src.get(p) != ':') {
            return false;
        }
        for (p++; p < end; p++) {
            byte b = src.get(p);
            if (b < '0' || b > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean schemeMatches(ByteBuffer src, int p, int end, String scheme) {
        if (end - p < scheme.length()) {
            return false;
        }
        for (int j = 0; j < scheme.length(); j++) {
            if (HttpBytes.toLower(src.get(p + j)) != scheme.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private HttpError onKnownHeader(KnownHeader k, ByteBuffer src, int vs, int vl) {
        switch (k) {
            case HOST:
                if (++hostCount > 1) {
                    return HttpError.DUPLICATE_HOST;
                }
                for (int j = 0; j < vl; j++) {
                    if (!HttpBytes.HOST[src.get(vs + j) & 0xFF]) {
                        return HttpError.INVALID_HOST;
                    }
                }
                return null;
            case CONTENT_LENGTH:
                return onContentLength(src, vs, vl);
            case TRANSFER_ENCODING:
                onTransferEncoding(src, vs, vl);
                return null;
            case CONNECTION:
                onConnection(src, vs, vl);
                return null;
            case EXPECT:
                if (HttpBytes.equalsIgnoreCase(src, vs, vl, CONTINUE_100)) {
                    expectContinue = true;
                } else {
                    expectOther = true;
                }
                return null;
            default:
                return null;
        }
    }

    /** Content-Length = 1*DIGIT; a list of identical values is accepted as one (RFC 9110 §8.6). */
    private HttpError onContentLength(ByteBuffer src, int vs, int vl) {
        int end = vs + vl;
        int i = vs;
        boolean any = false;
        while (i <= end) {
            while (i < end && HttpBytes.isOws(src.get(i))) {
                i++;
            }
            long v = 0;
            int digits = 0;
            while (i < end) {
                int b = src.get(i);
                if (b < '0' || b > '9') {
                    break;
                }
                if (++digits > 18) {
                    return HttpError.INVALID_CONTENT_LENGTH;
                }
                v = v * 10 + (b - '0');
                i++;
            }
            if (digits == 0) {
                return HttpError.INVALID_CONTENT_LENGTH;
            }
            while (i < end && HttpBytes.isOws(src.get(i))) {
                i++;
            }
            if (i < end && src.get(i) != ',') {
                return HttpError.INVALID_CONTENT_LENGTH;
            }
            if (contentLength >= 0 && contentLength != v) {
                return HttpError.CONFLICTING_CONTENT_LENGTH;
            }
            contentLength = v;
            any = true;
            i++;
        }
        return any ? null : HttpError.INVALID_CONTENT_LENGTH;
    }

    /** transfer-coding list, in order across lines; judged at the end of the head. */
    private void onTransferEncoding(ByteBuffer src, int vs, int vl) {
        transferEncoding = true;
        int end = vs + vl;
        int i = vs;
        while (i < end) {
            byte b = src.get(i);
            if (b == ',' || HttpBytes.isOws(b)) {
                i++;
                continue;
            }
            int s = i;
            while (i < end && src.get(i) != ',') {
                i++;
            }
            int e = i;
            while (e > s && HttpBytes.isOws(src.get(e - 1))) {
                e--;
            }
            boolean token = true;
            for (int j = s; j < e; j++) {
                if (!HttpBytes.TCHAR[src.get(j) & 0xFF]) {
                    token = false;
                    break;
                }
            }
            teCodings++;
            if (token && HttpBytes.equalsIgnoreCase(src, s, e - s, CHUNKED)) {
                teChunkedCount++;
                teLastChunked = true;
            } else {
                // A coding with parameters ("gzip;q=1") or another token: some coding we do not implement.
                teOther = true;
                teLastChunked = false;
                if (!token && !hasParameter(src, s, e)) {
                    teInvalid = true;
                }
            }
        }
    }

    private static boolean hasParameter(ByteBuffer src, int s, int e) {
        int j = s;
        while (j < e && HttpBytes.TCHAR[src.get(j) & 0xFF]) {
            j++;
        }
        return j > s && j < e && (src.get(j) == ';' || HttpBytes.isOws(src.get(j)));
    }

    private void onConnection(ByteBuffer src, int vs, int vl) {
        if (HttpBytes.containsToken(src, vs, vl, CLOSE)) {
            connClose = true;
        }
        if (HttpBytes.containsToken(src, vs, vl, KEEP_ALIVE)) {
            connKeepAlive = true;
        }
        if (HttpBytes.containsToken(src, vs, vl, UPGRADE_TOKEN)) {
            connUpgrade = true;
        }
    }

    private int completeHead(ByteBuffer src, int pos, int end) {
        boolean http10 = versionMinor == 0;
        if (hostCount == 0 && !http10) {
            return fail(HttpError.MISSING_HOST);
        }
        if (expectOther) {
            return fail(HttpError.EXPECTATION_FAILED);
        }
        if (transferEncoding) {
            if (contentLength >= 0) {
                return fail(HttpError.CONTENT_LENGTH_WITH_TRANSFER_ENCODING);
            }
            if (http10) {
                return fail(HttpError.TRANSFER_ENCODING_IN_HTTP10);
            }
            if (teCodings == 0 || teInvalid) {
                return fail(HttpError.INVALID_TRANSFER_ENCODING);
            }
            if (!teLastChunked || teChunkedCount > 1) {
                return fail(HttpError.CHUNKED_NOT_FINAL);
            }
            if (teOther) {
                return fail(HttpError.UNSUPPORTED_TRANSFER_CODING);
            }
            chunked = true;
        } else if (contentLength > maxBody) {
            return fail(HttpError.BODY_TOO_LARGE);
        }
        if (authorityStart >= 0) {
            // RFC 9112 §3.2.2: with an absolute-form target the server ignores the received Host field and uses the
            // target's authority: the Host field's value span now points at the authority in the request line.
            int h = knownIndex[KnownHeader.HOST.ordinal()];
            if (h >= 0) {
                valueStart[h] = authorityStart;
                valueLen[h] = authorityLen;
            }
        }
        keepAlive = http10 ? connKeepAlive && !connClose : !connClose;
        if (http10) {
            expectContinue = false;
        }
        base = pos;
        headLength = end - pos;
        boolean hasBody = chunked || contentLength > 0;
        int upgrade = knownIndex[KnownHeader.UPGRADE.ordinal()];
        upgradeRequested = !http10 && connUpgrade && upgrade >= 0 && valueLen[upgrade] > 0;
        src.position(end);
        if (upgradeRequested && !hasBody) {
            state = S_UPGRADED;
            return UPGRADE;
        }
        if (!hasBody) {
            state = S_DONE;
            return REQUEST;
        }
        if (chunked) {
            chunkDigits = 0;
            chunkSize = 0;
            state = S_CHUNK_SIZE;
        } else {
            remaining = contentLength;
            state = S_BODY_CL;
        }
        return HEAD;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Body

    private int parseBody(ByteBuffer src) {
        final int lim = src.limit();
        int i = src.position();
        int st = state;
        for (;;) {
            switch (st) {
                case S_BODY_CL:
                case S_CHUNK_DATA: {
                    if (i >= lim) {
                        src.position(i);
                        state = st;
                        return NEED_MORE;
                    }
                    int n = (int) Math.min(remaining, lim - i);
                    bodyStart = i;
                    bodyLength = n;
                    remaining -= n;
                    src.position(i + n);
                    if (remaining == 0) {
                        state = st == S_BODY_CL ? S_BODY_LAST : S_CHUNK_DATA_CR;
                    } else {
                        state = st;
                    }
                    return BODY;
                }
                case S_BODY_LAST:
                    bodyLength = 0;
                    state = S_DONE;
                    return END;
                default:
                    break;
            }
            if (i >= lim) {
                src.position(i);
                state = st;
                return NEED_MORE;
            }
            int b = src.get(i) & 0xFF;
            i++;
            switch (st) {
                case S_CHUNK_SIZE: {
                    // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; chunk-size = 1*HEXDIG
                    int d = HttpBytes.HEX[b];
                    if (d >= 0) {
                        if (++chunkDigits > 16 || chunkSize > (Long.MAX_VALUE >>> 4)) {
                            return fail(HttpError.INVALID_CHUNK_SIZE);
                        }
                        chunkSize = (chunkSize << 4) | d;
                        continue;
                    }
                    if (chunkDigits == 0) {
                        return fail(HttpError.INVALID_CHUNK_SIZE);
                    }
                    if (chunkSize > maxBody - bodyTotal) {
                        return fail(HttpError.BODY_TOO_LARGE);
                    }
                    chunkExtLen = 0;
                    if (b == CR) {
                        st = S_CHUNK_SIZE_LF;
                    } else if (b == ';') {
                        if (++chunkExtLen > maxChunkExt) {
                            return fail(HttpError.CHUNK_EXTENSION_TOO_LONG);
                        }
                        st = S_CHUNK_EXT;
                    } else if (b == SP || b == HTAB) {
                        if (++chunkExtLen > maxChunkExt) {
                            return fail(HttpError.CHUNK_EXTENSION_TOO_LONG);
                        }
                        st = S_CHUNK_BWS;
                    } else {
                        return fail(b == LF ? HttpError.BARE_LF : HttpError.INVALID_CHUNK_SIZE);
                    }
                    continue;
                }
                case S_CHUNK_BWS:
                    // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ): BWS must lead to ';'.
                    if (++chunkExtLen > maxChunkExt) {
                        return fail(HttpError.CHUNK_EXTENSION_TOO_LONG);
                    }
                    if (b == ';') {
                        st = S_CHUNK_EXT;
                    } else if (b != SP && b != HTAB) {
                        return fail(HttpError.INVALID_CHUNK_SIZE);
                    }
                    continue;
                case S_CHUNK_EXT:
                    if (b == CR) {
                        st = S_CHUNK_SIZE_LF;
                        continue;
                    }
                    if (++chunkExtLen > maxChunkExt) {
                        return fail(HttpError.CHUNK_EXTENSION_TOO_LONG);
                    }
                    if (!HttpBytes.FIELD_VALUE[b]) {
                        return fail(b == LF ? HttpError.BARE_LF : HttpError.INVALID_CHUNK_EXTENSION);
                    }
                    continue;
                case S_CHUNK_SIZE_LF:
                    if (b != LF) {
                        return fail(HttpError.BARE_CR);
                    }
                    if (chunkSize == 0) {
                        trailerBytes = 0;
                        st = S_TRAILER_START;
                    } else {
                        bodyTotal += chunkSize;
                        remaining = chunkSize;
                        st = S_CHUNK_DATA;
                    }
                    continue;
                case S_CHUNK_DATA_CR:
                    if (b != CR) {
                        return fail(HttpError.INVALID_CHUNK_DATA_END);
                    }
                    st = S_CHUNK_DATA_LF;
                    continue;
                case S_CHUNK_DATA_LF:
                    if (b != LF) {
                        return fail(HttpError.INVALID_CHUNK_DATA_END);
                    }
                    chunkDigits = 0;
                    chunkSize = 0;
                    st = S_CHUNK_SIZE;
                    continue;
                default:
                    break;
            }
            // Trailer section: field lines checked like header lines, bounded, then ignored (RFC 9112 §7.1.2).
            if (++trailerBytes > maxTrailer) {
                return fail(HttpError.TRAILER_SECTION_TOO_LARGE);
            }
            switch (st) {
                case S_TRAILER_START:
                    if (b == CR) {
                        st = S_TRAILER_END_LF;
                    } else if (HttpBytes.TCHAR[b]) {
                        st = S_TRAILER_NAME;
                    } else {
                        return fail(lineStartError(b));
                    }
                    continue;
                case S_TRAILER_NAME:
                    if (b == ':') {
                        st = S_TRAILER_VALUE;
                    } else if (!HttpBytes.TCHAR[b]) {
                        return fail(nameEndError(b));
                    }
                    continue;
                case S_TRAILER_VALUE:
                    if (b == CR) {
                        st = S_TRAILER_LF;
                    } else if (!HttpBytes.FIELD_VALUE[b]) {
                        return fail(b == LF ? HttpError.BARE_LF : HttpError.INVALID_HEADER_VALUE);
                    }
                    continue;
                case S_TRAILER_LF:
                    if (b != LF) {
                        return fail(HttpError.BARE_CR);
                    }
                    st = S_TRAILER_START;
                    continue;
                case S_TRAILER_END_LF:
                    if (b != LF) {
                        return fail(HttpError.BARE_CR);
                    }
                    src.position(i);
                    bodyLength = 0;
                    state = S_DONE;
                    return END;
                default:
                    throw new IllegalStateException("body state " + st);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Results

    /**
     * Whether the parser is between requests: nothing of a next request has been examined and no body is in
     * progress. A peer closing the connection now closes it cleanly; otherwise a request was cut short.
     */
    public boolean isIdle() {
        return state == S_DONE || (state == S_IDLE && scan == 0);
    }

    /** The error after {@link #ERROR}, else {@code null}. */
    public HttpError error() {
        return error;
    }

    /** The method of the current head. */
    public HttpMethod method() {
        return method;
    }

    /** Absolute index of the method's first byte. */
    public int methodStart() {
        return base + rlStart;
    }

    /** Length of the method. */
    public int methodLength() {
        return methodLen;
    }

    /** Absolute index of the request-target. */
    public int targetStart() {
        return base + targetStart;
    }

    /** Length of the whole request-target (path and query). */
    public int targetLength() {
        return targetLen;
    }

    /**
     * Absolute index of the path: the target itself in origin-form ({@code /a/b}) and asterisk-form ({@code *});
     * in absolute-form the part after the authority, possibly empty (meaning {@code /}).
     */
    public int pathStart() {
        return base + pathStart;
    }

    /**
     * Absolute index of the authority ({@code host[:port]}) of an absolute-form target, or -1 for the other forms.
     * With an absolute-form target the {@link KnownHeader#HOST} field's value is this span (RFC 9112 §3.2.2: the
     * received Host value is replaced); an HTTP/1.0 request may have no Host field, and then only this tells the host.
     */
    public int authorityStart() {
        return authorityStart >= 0 ? base + authorityStart : -1;
    }

    /** Length of the authority of an absolute-form target, 0 for the other forms. */
    public int authorityLength() {
        return authorityLen;
    }

    /**
     * Absolute index of the target in origin-form ({@code path[?query]}): {@link #targetStart()} for an origin-form
     * target, the path's start for an absolute-form one (whose origin form then starts with {@code /} or {@code ?},
     * or is empty: an empty path means {@code /}).
     */
    public int originFormStart() {
        return base + pathStart;
    }

    /** Length of the origin-form part of the target (see {@link #originFormStart()}). */
    public int originFormLength() {
        return targetStart + targetLen - pathStart;
    }

    /** Length of the path (up to {@code ?} or the end of the target). */
    public int pathLength() {
        return (queryMark >= 0 ? queryMark : targetStart + targetLen) - pathStart;
    }

    /** Absolute index of the query (after {@code ?}), or -1 when the target has no {@code ?}. */
    public int queryStart() {
        return queryMark >= 0 ? base + queryMark + 1 : -1;
    }

    /** Length of the raw query (after {@code ?}), 0 when absent or empty. */
    public int queryLength() {
        return queryMark >= 0 ? targetStart + targetLen - queryMark - 1 : 0;
    }

    /** The minor version: 0 for HTTP/1.0, 1 for HTTP/1.1 (other minors are handled as 1.1). */
    public int versionMinor() {
        return versionMinor;
    }

    /** Whether the request is HTTP/1.0. */
    public boolean isHttp10() {
        return versionMinor == 0;
    }

    /** Number of field lines in the head. */
    public int headerCount() {
        return headerCount;
    }

    /** Absolute index of field line {@code i}'s name. */
    public int headerNameStart(int i) {
        return base + nameStart[checkHeader(i)];
    }

    /** Length of field line {@code i}'s name. */
    public int headerNameLength(int i) {
        return nameLen[checkHeader(i)];
    }

    /** Absolute index of field line {@code i}'s value, without leading and trailing OWS. */
    public int headerValueStart(int i) {
        return base + valueStart[checkHeader(i)];
    }

    /** Length of field line {@code i}'s value, without leading and trailing OWS. */
    public int headerValueLength(int i) {
        return valueLen[checkHeader(i)];
    }

    /** The known header field line {@code i} is, or {@code null}. */
    public KnownHeader headerKnown(int i) {
        return headerKnown[checkHeader(i)];
    }

    /** Index of the first field line named {@code k}, or -1. */
    public int headerIndex(KnownHeader k) {
        return knownIndex[k.ordinal()];
    }

    /** The Content-Length, or -1 when absent. */
    public long contentLength() {
        return contentLength;
    }

    /** Whether the body is chunked. */
    public boolean isChunked() {
        return chunked;
    }

    /** Whether the connection persists after this request (RFC 9112 §9.3). */
    public boolean isKeepAlive() {
        return keepAlive;
    }

    /** Whether an HTTP/1.1 request carries {@code Expect: 100-continue}: the server may answer 100 before the body. */
    public boolean expectsContinue() {
        return expectContinue;
    }

    /**
     * Whether the request asked for a protocol upgrade: HTTP/1.1, a non-empty Upgrade field (its first line is
     * {@code headerIndex(KnownHeader.UPGRADE)}; the WebSocket layer checks for the {@code websocket} token) and a
     * Connection {@code upgrade} token.
     */
    public boolean isUpgradeRequested() {
        return upgradeRequested;
    }

    /** Bytes of the head, from its first byte (leading empty lines included) to its final LF inclusive. */
    public int headLength() {
        return headLength;
    }

    /** Absolute index of the body bytes of the last {@link #BODY} event. */
    public int bodyStart() {
        return bodyStart;
    }

    /** Number of body bytes of the last {@link #BODY} event. */
    public int bodyLength() {
        return bodyLength;
    }

    private int checkHeader(int i) {
        if (i < 0 || i >= headerCount) {
            throw badIndex(i);
        }
        return i;
    }

    private IndexOutOfBoundsException badIndex(int i) {
        return new IndexOutOfBoundsException("header " + i + " of " + headerCount);
    }
}
