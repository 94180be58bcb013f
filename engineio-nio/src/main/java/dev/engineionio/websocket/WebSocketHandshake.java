package dev.engineionio.websocket;

import dev.engineionio.http.HttpResponseWriter;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The server side of the opening handshake (RFC 6455 §4.2): checks a client's upgrade request, negotiates a
 * subprotocol, computes {@code Sec-WebSocket-Accept} and writes the {@code 101} response (or the rejection).
 *
 * <h2>Use</h2>
 * <pre>
 *   hs.reset();
 *   hs.method(buf, off, len);  hs.httpVersion(buf, off, len);        // or the CharSequence forms
 *   for each header line: hs.header(buf, nameOff, nameLen, valueOff, valueLen);
 *   Outcome o = hs.validate(selector);                                // selector may be null
 *   if (o.isAccepted()) hs.writeResponse(out); else WebSocketHandshake.writeRejection(out, o);
 * </pre>
 * The span forms read the HTTP parser's buffer with absolute gets (no copy, no allocation) and keep no reference to it;
 * values are trimmed of optional whitespace (SP, HTAB). Header names are matched case-insensitively; headers that do
 * not matter here are ignored. The {@code CharSequence} forms copy a relevant value into a scratch array first; a value
 * longer than {@link #MAX_VALUE_CHARS} counts as invalid for its header.
 *
 * <h2>Checks, in order, and their outcomes</h2>
 * {@code GET} (case-sensitive) else {@link Outcome#METHOD_NOT_GET}; {@code HTTP/1.1} or a later 1.x else
 * {@link Outcome#BAD_HTTP_VERSION}; a {@code Host} header else {@link Outcome#MISSING_HOST}; {@code Upgrade} whose
 * comma-separated tokens include {@code websocket} (any case) else {@link Outcome#MISSING_UPGRADE};
 * {@code Connection} whose tokens include {@code upgrade} (any case, across several lines) else
 * {@link Outcome#MISSING_CONNECTION_UPGRADE}; every {@code Sec-WebSocket-Version} equal to {@code 13}, and at least one,
 * else {@link Outcome#UNSUPPORTED_VERSION} ({@code 426} with {@code Sec-WebSocket-Version: 13}, §4.2.2); exactly one
 * {@code Sec-WebSocket-Key} ({@link Outcome#MISSING_KEY}, {@link Outcome#DUPLICATE_KEY}) that is the canonical base64 of
 * 16 bytes: 22 alphabet characters, the last of them carrying no stray bits, then {@code ==}
 * ({@link Outcome#INVALID_KEY}); all offered subprotocols within {@link #MAX_SUBPROTOCOL_OFFER_BYTES}
 * ({@link Outcome#SUBPROTOCOL_OFFER_TOO_LONG}). Every rejection is {@code 400} except the version's {@code 426}; a bad
 * request never gets a {@code 101}.
 *
 * <h2>The npm ws rules ({@link #validateAsNodeWs})</h2>
 * The Engine.IO reference hands its upgrades to npm ws 8 ({@code WebSocketServer.handleUpgrade}), whose checks differ
 * and whose rejections have bodies; {@link #validateAsNodeWs} applies them, in ws's order, and
 * {@link #writeNodeWsRejection} writes ws's bytes ({@code abortHandshake}: {@code Connection: close},
 * {@code Content-Type: text/html}, {@code Content-Length}, a text body):
 * <table>
 * <caption>npm ws handshake rules</caption>
 * <tr><th>check (in order)</th><th>outcome</th><th>answer</th></tr>
 * <tr><td>method {@code GET}</td><td>{@link Outcome#METHOD_NOT_GET}</td>
 *     <td>{@code 405}, {@code Invalid HTTP method}</td></tr>
 * <tr><td>exactly one {@code Upgrade}, equal to {@code websocket} (any case)</td><td>{@link Outcome#MISSING_UPGRADE}
 *     </td><td>{@code 400}, {@code Invalid Upgrade header}</td></tr>
 * <tr><td>exactly one {@code Sec-WebSocket-Key} of 22 base64 characters then {@code ==} (the stray low bits of the
 *     22nd are not checked)</td><td>{@link Outcome#MISSING_KEY}, {@link Outcome#DUPLICATE_KEY},
 *     {@link Outcome#INVALID_KEY}</td><td>{@code 400}, {@code Missing or invalid Sec-WebSocket-Key header}</td></tr>
 * <tr><td>exactly one {@code Sec-WebSocket-Version}, the decimal 13 or 8 (leading zeros allowed)</td>
 *     <td>{@link Outcome#UNSUPPORTED_VERSION}</td><td>{@code 400} with {@code Sec-WebSocket-Version: 13, 8},
 *     {@code Missing or invalid Sec-WebSocket-Version header}</td></tr>
 * <tr><td>{@code Sec-WebSocket-Protocol}, when present: comma-separated tokens, optional SP/HTAB around them, no
 *     empty or duplicate one (ws's {@code subprotocol.parse})</td><td>{@link Outcome#INVALID_SUBPROTOCOL_OFFER},
 *     {@link Outcome#SUBPROTOCOL_OFFER_TOO_LONG}</td><td>{@code 400}, {@code Invalid Sec-WebSocket-Protocol header}
 *     </td></tr>
 * </table>
 * Not checked there (Node and ws do not): the {@code Host} header, the HTTP version, {@code Connection} (the HTTP
 * layer only reports an upgrade when it names {@code upgrade}). ws answers the first offered subprotocol unless told
 * otherwise: pass a selector that accepts any. Known differences: ws reads the version with JavaScript's
 * {@code Number()} ({@code "0xd"}, {@code "13.0"} and {@code "1.3e1"} pass there, not here); ws has no limit on the
 * offered subprotocols, here {@link #MAX_SUBPROTOCOL_OFFER_BYTES} applies.
 *
 * <h2>Negotiation</h2>
 * Subprotocols: the offered tokens (all {@code Sec-WebSocket-Protocol} lines, in order) are shown one by one to the
 * {@link SubprotocolSelector}; the first it accepts is echoed in the response, none means no header (§4.2.2 step 5.4).
 * Extensions: only permessage-deflate (RFC 7692), and only when {@link #perMessageDeflate} was given a policy for this
 * request; {@link PerMessageDeflateNegotiator} reads the offers (all {@code Sec-WebSocket-Extensions} lines) and its
 * table says when the offer is accepted, declined (no response header) or the request rejected
 * ({@link Outcome#INVALID_EXTENSION_OFFER}, 400; the npm ws rules reject where ws does). The agreed parameters are
 * {@link #deflateParams()}. Without a policy, offered extensions are ignored and none is answered; the message layer
 * then treats any RSV bit as a protocol error.
 *
 * <h2>Ownership, threads, allocation</h2>
 * Not thread-safe: one instance per event loop, reused for every handshake ({@link #reset()} between them). It owns
 * one SHA-1 {@link MessageDigest} (reset and fed from its own arrays) and small scratch arrays; after construction a
 * handshake allocates nothing.
 */
public final class WebSocketHandshake {

    /** The GUID appended to the key before hashing (RFC 6455 §1.3). */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** Most bytes of {@code Sec-WebSocket-Protocol} values kept per request (all lines together, with separators). */
    public static final int MAX_SUBPROTOCOL_OFFER_BYTES = 512;

    /** Longest header value the {@code CharSequence} forms look at. */
    public static final int MAX_VALUE_CHARS = 4096;

    /** The only protocol version spoken (RFC 6455 §4.1). */
    public static final int VERSION = 13;

    /** Length of a valid {@code Sec-WebSocket-Key}: base64 of 16 bytes. */
    public static final int KEY_LENGTH = 24;

    /** Length of {@code Sec-WebSocket-Accept}: base64 of a 20-byte SHA-1. */
    public static final int ACCEPT_LENGTH = 28;

    /** Picks the subprotocol; called on the handshake's thread during {@link #validate}. */
    @FunctionalInterface
    public interface SubprotocolSelector {
        /**
         * Whether to speak {@code offered}, a token the client listed. {@code offered} is a view valid during the
         * call only; compare it (e.g. {@code "chat".contentEquals(offered)}), do not keep it.
         */
        boolean accept(CharSequence offered);

        /** Accepts the first offered token equal (case-sensitive) to one of {@code supported}. */
        static SubprotocolSelector of(String... supported) {
            String[] names = supported.clone();
            return offered -> {
                for (String name : names) {
                    if (name.contentEquals(offered)) {
                        return true;
                    }
                }
                return false;
            };
        }
    }

    /** The result of {@link #validate}, carrying the HTTP status to answer with. */
    public enum Outcome {
        /** Valid: answer {@code 101 Switching Protocols}. */
        ACCEPTED(101, "Switching Protocols"),
        /** Not a {@code GET}. */
        METHOD_NOT_GET(400, "Bad Request"),
        /** Not HTTP/1.1 or later. */
        BAD_HTTP_VERSION(400, "Bad Request"),
        /** No {@code Host} header (RFC 6455 §4.2.1 item 2). */
        MISSING_HOST(400, "Bad Request"),
        /** {@code Upgrade} missing or without {@code websocket}. */
        MISSING_UPGRADE(400, "Bad Request"),
        /** {@code Connection} missing or without {@code upgrade}. */
        MISSING_CONNECTION_UPGRADE(400, "Bad Request"),
        /** {@code Sec-WebSocket-Version} missing or not 13: answered with {@code Sec-WebSocket-Version: 13}. */
        UNSUPPORTED_VERSION(426, "Upgrade Required"),
        /** No {@code Sec-WebSocket-Key}. */
        MISSING_KEY(400, "Bad Request"),
        /** More than one {@code Sec-WebSocket-Key}. */
        DUPLICATE_KEY(400, "Bad Request"),
        /** A key that is not the base64 of exactly 16 bytes. */
        INVALID_KEY(400, "Bad Request"),
        /** More than {@link #MAX_SUBPROTOCOL_OFFER_BYTES} of offered subprotocols. */
        SUBPROTOCOL_OFFER_TOO_LONG(400, "Bad Request"),
        /** A {@code Sec-WebSocket-Protocol} that is not a list of distinct tokens (npm ws rules only). */
        INVALID_SUBPROTOCOL_OFFER(400, "Bad Request"),
        /**
         * A {@code Sec-WebSocket-Extensions} header that does not parse, or (npm ws rules) whose permessage-deflate
         * offers are invalid or none acceptable; see {@link PerMessageDeflateNegotiator}.
         */
        INVALID_EXTENSION_OFFER(400, "Bad Request");

        private final int status;
        private final String reasonPhrase;

        Outcome(int status, String reasonPhrase) {
            this.status = status;
            this.reasonPhrase = reasonPhrase;
        }

        /** The HTTP status code to answer with under RFC 6455 ({@link #writeRejection}). */
        public int status() {
            return status;
        }

        /** The HTTP reason phrase for {@link #status()}. */
        public String reasonPhrase() {
            return reasonPhrase;
        }

        /** Whether this is {@link #ACCEPTED}. */
        public boolean isAccepted() {
            return this == ACCEPTED;
        }
    }

    private static final byte[] GUID_BYTES = GUID.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STATUS_LINE = ascii("HTTP/1.1 101 Switching Protocols\r\n");
    private static final byte[] UPGRADE_LINES = ascii("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ");
    private static final byte[] PROTOCOL_NAME = ascii("Sec-WebSocket-Protocol: ");
    private static final byte[] CRLF = ascii("\r\n");
    private static final byte[] REJECT_400 =
            HttpResponseWriter.canned(400, w -> w.connection(false, false).contentLength(0).endHeaders());
    private static final byte[] REJECT_426 = HttpResponseWriter.canned(426, w -> w
            .header(HttpResponseWriter.SEC_WEBSOCKET_VERSION, "13").connection(false, false).contentLength(0).endHeaders());
    private static final byte[] WS_REJECT_METHOD = nodeWsRejection(405, "Invalid HTTP method", null);
    private static final byte[] WS_REJECT_UPGRADE = nodeWsRejection(400, "Invalid Upgrade header", null);
    private static final byte[] WS_REJECT_KEY = nodeWsRejection(400, "Missing or invalid Sec-WebSocket-Key header", null);
    private static final byte[] WS_REJECT_VERSION =
            nodeWsRejection(400, "Missing or invalid Sec-WebSocket-Version header", "13, 8");
    private static final byte[] WS_REJECT_PROTOCOL = nodeWsRejection(400, "Invalid Sec-WebSocket-Protocol header", null);
    private static final byte[] WS_REJECT_EXTENSIONS =
            nodeWsRejection(400, "Invalid or unacceptable Sec-WebSocket-Extensions header", null);

    private static final int H_OTHER = 0;
    private static final int H_HOST = 1;
    private static final int H_UPGRADE = 2;
    private static final int H_CONNECTION = 3;
    private static final int H_KEY = 4;
    private static final int H_VERSION = 5;
    private static final int H_PROTOCOL = 6;
    private static final int H_EXTENSIONS = 7;
    private static final byte[][] NAMES = {
        null, ascii("host"), ascii("upgrade"), ascii("connection"), ascii("sec-websocket-key"),
        ascii("sec-websocket-version"), ascii("sec-websocket-protocol"), ascii("sec-websocket-extensions"),
    };
    private static final byte[] TOKEN_WEBSOCKET = ascii("websocket");
    private static final byte[] TOKEN_UPGRADE = ascii("upgrade");

    private final MessageDigest sha1;
    private final byte[] digest = new byte[20];
    private final byte[] key = new byte[KEY_LENGTH];
    private final byte[] accept = new byte[ACCEPT_LENGTH];
    private final byte[] offers = new byte[MAX_SUBPROTOCOL_OFFER_BYTES];
    private final byte[] charScratch = new byte[MAX_VALUE_CHARS];
    private final ByteBuffer charScratchView = ByteBuffer.wrap(charScratch);
    private final AsciiView view = new AsciiView(offers);

    private boolean methodGet;
    private boolean httpVersionOk;
    private boolean hostSeen;
    private boolean upgradeWebsocket;
    private int upgradeLines;
    private boolean upgradeExactlyWebsocket;
    private boolean connectionUpgrade;
    private boolean versionSeen;
    private boolean versionBad;
    private int versionLines;
    private boolean versionNodeWsOk;
    private int keyCount;
    private boolean keyValid;
    private boolean keyShapeValid;
    private int protocolLines;
    private int offersLength;
    private boolean offersOverflow;
    private int selectedOffset;
    private int selectedLength = -1;
    private Outcome outcome;
    private final PerMessageDeflateNegotiator negotiator = new PerMessageDeflateNegotiator();
    private PerMessageDeflateConfig deflateConfig;
    private int deflateParams = PerMessageDeflateNegotiator.DECLINED;

    /** Creates a handshake helper with its own SHA-1 digest. */
    public WebSocketHandshake() {
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-1", e);
        }
    }

    /** Forgets the previous request. */
    public void reset() {
        methodGet = false;
        httpVersionOk = false;
        hostSeen = false;
        upgradeWebsocket = false;
        upgradeLines = 0;
        upgradeExactlyWebsocket = false;
        connectionUpgrade = false;
        versionSeen = false;
        versionBad = false;
        versionLines = 0;
        versionNodeWsOk = false;
        keyCount = 0;
        keyValid = false;
        keyShapeValid = false;
        protocolLines = 0;
        offersLength = 0;
        offersOverflow = false;
        selectedLength = -1;
        outcome = null;
        negotiator.reset();
        deflateConfig = null;
        deflateParams = PerMessageDeflateNegotiator.DECLINED;
    }

    /**
     * The permessage-deflate policy for this request (after {@link #reset()}, before {@link #validate}); {@code null}
     * (the default after a reset) ignores extension offers.
     */
    public void perMessageDeflate(PerMessageDeflateConfig config) {
        deflateConfig = config;
    }

    /**
     * The agreed permessage-deflate parameters after an accepting {@link #validate}: at least 0 (read them with
     * {@link PerMessageDeflateNegotiator#serverNoContextTakeover(int)} and its siblings), or
     * {@link PerMessageDeflateNegotiator#DECLINED} when the extension is not in use.
     */
    public int deflateParams() {
        return deflateParams;
    }

    // ---------------------------------------------------------------- input

    /** The request method, {@code buf[offset, offset+length)}. */
    public void method(ByteBuffer buf, int offset, int length) {
        methodGet = length == 3 && buf.get(offset) == 'G' && buf.get(offset + 1) == 'E' && buf.get(offset + 2) == 'T';
    }

    /** The request method. */
    public void method(CharSequence method) {
        methodGet = "GET".contentEquals(method);
    }

    /** The request's HTTP version, e.g. {@code HTTP/1.1}. */
    public void httpVersion(ByteBuffer buf, int offset, int length) {
        httpVersionOk = length == 8 && buf.get(offset) == 'H' && buf.get(offset + 1) == 'T' && buf.get(offset + 2) == 'T'
                && buf.get(offset + 3) == 'P' && buf.get(offset + 4) == '/' && buf.get(offset + 5) == '1'
                && buf.get(offset + 6) == '.' && buf.get(offset + 7) >= '1' && buf.get(offset + 7) <= '9';
    }

    /** The request's HTTP version, e.g. {@code HTTP/1.1}. */
    public void httpVersion(CharSequence version) {
        boolean ok = version.length() == 8;
        for (int i = 0; ok && i < 7; i++) {
            ok = version.charAt(i) == "HTTP/1.".charAt(i);
        }
        httpVersionOk = ok && version.charAt(7) >= '1' && version.charAt(7) <= '9';
    }

    /** One header line: name {@code buf[nameOffset, +nameLength)}, value {@code buf[valueOffset, +valueLength)}. */
    public void header(ByteBuffer buf, int nameOffset, int nameLength, int valueOffset, int valueLength) {
        int field = field(buf, nameOffset, nameLength);
        if (field != H_OTHER) {
            onValue(field, buf, valueOffset, valueLength);
        }
    }

    /** One header line. */
    public void header(CharSequence name, CharSequence value) {
        int field = field(name);
        if (field == H_OTHER) {
            return;
        }
        int n = value.length();
        if (n > MAX_VALUE_CHARS) {
            onOversizedValue(field);
            return;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            charScratch[i] = c < 0x80 ? (byte) c : (byte) 0xFF;
        }
        onValue(field, charScratchView, 0, n);
    }

    private void onOversizedValue(int field) {
        switch (field) {
            case H_HOST:
                hostSeen = true;
                break;
            case H_KEY:
                keyCount++;
                keyValid = false;
                keyShapeValid = false;
                break;
            case H_VERSION:
                versionSeen = true;
                versionBad = true;
                versionLines++;
                versionNodeWsOk = false;
                break;
            case H_PROTOCOL:
                protocolLines++;
                offersOverflow = true;
                break;
            case H_EXTENSIONS:
                negotiator.addLine(charScratchView, 0, PerMessageDeflateNegotiator.MAX_HEADER_BYTES + 1);
                break;
            case H_UPGRADE:
                upgradeLines++;
                upgradeExactlyWebsocket = false;
                break;
            default:
                break; // a Connection value this long contributes no token
        }
    }

    private void onValue(int field, ByteBuffer buf, int offset, int length) {
        // Trim OWS (RFC 7230 §3.2.3).
        int start = offset;
        int end = offset + length;
        while (start < end && isOws(buf.get(start))) {
            start++;
        }
        while (end > start && isOws(buf.get(end - 1))) {
            end--;
        }
        switch (field) {
            case H_HOST:
                hostSeen = true;
                break;
            case H_UPGRADE:
                upgradeWebsocket |= containsToken(buf, start, end, TOKEN_WEBSOCKET);
                upgradeLines++;
                upgradeExactlyWebsocket = end - start == TOKEN_WEBSOCKET.length
                        && equalsLower(buf, start, TOKEN_WEBSOCKET);
                break;
            case H_CONNECTION:
                connectionUpgrade |= containsToken(buf, start, end, TOKEN_UPGRADE);
                break;
            case H_KEY:
                keyCount++;
                keyShapeValid = end - start == KEY_LENGTH && isKeyShape(buf, start);
                keyValid = keyShapeValid && hasNoStrayBits(buf, start);
                if (keyShapeValid) {
                    buf.get(start, key, 0, KEY_LENGTH);
                }
                break;
            case H_VERSION:
                versionSeen = true;
                versionBad |= !(end - start == 2 && buf.get(start) == '1' && buf.get(start + 1) == '3');
                versionLines++;
                versionNodeWsOk = isDecimal13or8(buf, start, end);
                break;
            case H_EXTENSIONS:
                negotiator.addLine(buf, start, end - start);
                break;
            default:
                appendOffers(buf, start, end);
                break;
        }
    }

    private void appendOffers(ByteBuffer buf, int start, int end) {
        int n = end - start;
        // Several lines read as one list (RFC 9110 §5.3), as Node joins them with ", ".
        int separator = protocolLines++ == 0 ? 0 : 1;
        if (offersLength + separator + n > MAX_SUBPROTOCOL_OFFER_BYTES) {
            offersOverflow = true;
            return;
        }
        if (separator == 1) {
            offers[offersLength++] = ',';
        }
        buf.get(start, offers, offersLength, n);
        offersLength += n;
    }

    // ---------------------------------------------------------------- decision

    /**
     * Decides on the request fed since {@link #reset()}; on acceptance also picks the subprotocol and computes the
     * accept value.
     *
     * @param selector picks a subprotocol; {@code null} accepts none
     */
    public Outcome validate(SubprotocolSelector selector) {
        Outcome o = negotiateExtensions(decide(), false);
        if (o == Outcome.ACCEPTED) {
            if (selector != null) {
                select(selector);
            }
            computeAccept();
        }
        outcome = o;
        return o;
    }

    /**
     * Decides on the request fed since {@link #reset()} by npm ws 8's rules (see the class Javadoc: its checks, in its
     * order); on acceptance also picks the subprotocol and computes the accept value. For the Engine.IO endpoint,
     * whose reference answers upgrades with ws.
     *
     * @param selector picks a subprotocol; {@code null} accepts none (ws's default is the first offered: pass
     *                 {@code offered -> true})
     */
    public Outcome validateAsNodeWs(SubprotocolSelector selector) {
        Outcome o = negotiateExtensions(decideAsNodeWs(), true);
        if (o == Outcome.ACCEPTED) {
            if (selector != null) {
                select(selector);
            }
            computeAccept();
        }
        outcome = o;
        return o;
    }

    private Outcome negotiateExtensions(Outcome o, boolean nodeWs) {
        if (o != Outcome.ACCEPTED || deflateConfig == null) {
            return o;
        }
        int r = negotiator.negotiate(deflateConfig, nodeWs);
        if (r == PerMessageDeflateNegotiator.REJECT) {
            return Outcome.INVALID_EXTENSION_OFFER;
        }
        deflateParams = r;
        return o;
    }

    private Outcome decideAsNodeWs() {
        if (!methodGet) {
            return Outcome.METHOD_NOT_GET;
        }
        if (upgradeLines != 1 || !upgradeExactlyWebsocket) {
            return Outcome.MISSING_UPGRADE;
        }
        if (keyCount == 0) {
            return Outcome.MISSING_KEY;
        }
        if (keyCount > 1) {
            return Outcome.DUPLICATE_KEY;
        }
        if (!keyShapeValid) {
            return Outcome.INVALID_KEY;
        }
        if (versionLines != 1 || !versionNodeWsOk) {
            return Outcome.UNSUPPORTED_VERSION;
        }
        if (protocolLines > 0) {
            if (offersOverflow) {
                return Outcome.SUBPROTOCOL_OFFER_TOO_LONG;
            }
            if (!isDistinctTokenList(offers, offersLength)) {
                return Outcome.INVALID_SUBPROTOCOL_OFFER;
            }
        }
        return Outcome.ACCEPTED;
    }

    /** The last {@link #validate} result, or {@code null} before it. */
    public Outcome outcome() {
        return outcome;
    }

    private Outcome decide() {
        if (!methodGet) {
            return Outcome.METHOD_NOT_GET;
        }
        if (!httpVersionOk) {
            return Outcome.BAD_HTTP_VERSION;
        }
        if (!hostSeen) {
            return Outcome.MISSING_HOST;
        }
        if (!upgradeWebsocket) {
            return Outcome.MISSING_UPGRADE;
        }
        if (!connectionUpgrade) {
            return Outcome.MISSING_CONNECTION_UPGRADE;
        }
        if (!versionSeen || versionBad) {
            return Outcome.UNSUPPORTED_VERSION;
        }
        if (keyCount == 0) {
            return Outcome.MISSING_KEY;
        }
        if (keyCount > 1) {
            return Outcome.DUPLICATE_KEY;
        }
        if (!keyValid) {
            return Outcome.INVALID_KEY;
        }
        if (offersOverflow) {
            return Outcome.SUBPROTOCOL_OFFER_TOO_LONG;
        }
        return Outcome.ACCEPTED;
    }

    private void select(SubprotocolSelector selector) {
        int i = 0;
        while (i < offersLength) {
            int comma = i;
            while (comma < offersLength && offers[comma] != ',') {
                comma++;
            }
            int start = i;
            int end = comma;
            while (start < end && isOws(offers[start])) {
                start++;
            }
            while (end > start && isOws(offers[end - 1])) {
                end--;
            }
            if (end > start) {
                view.set(start, end - start);
                if (selector.accept(view)) {
                    selectedOffset = start;
                    selectedLength = end - start;
                    return;
                }
            }
            i = comma + 1;
        }
    }

    /** The chosen subprotocol (a view valid until {@link #reset()}), or {@code null} if none. */
    public CharSequence selectedSubprotocol() {
        if (selectedLength < 0) {
            return null;
        }
        view.set(selectedOffset, selectedLength);
        return view;
    }

    private void computeAccept() {
        sha1.reset();
        sha1.update(key, 0, KEY_LENGTH);
        sha1.update(GUID_BYTES, 0, GUID_BYTES.length);
        try {
            sha1.digest(digest, 0, digest.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 digest of 20 bytes", e);
        }
        // Base64 (RFC 4648 §4) of 20 bytes: six groups of three, then two bytes and one '='.
        int o = 0;
        for (int i = 0; i < 18; i += 3) {
            int v = ((digest[i] & 0xFF) << 16) | ((digest[i + 1] & 0xFF) << 8) | (digest[i + 2] & 0xFF);
            accept[o++] = BASE64[v >>> 18];
            accept[o++] = BASE64[(v >>> 12) & 0x3F];
            accept[o++] = BASE64[(v >>> 6) & 0x3F];
            accept[o++] = BASE64[v & 0x3F];
        }
        int v = ((digest[18] & 0xFF) << 8) | (digest[19] & 0xFF);
        accept[o++] = BASE64[v >>> 10];
        accept[o++] = BASE64[(v >>> 4) & 0x3F];
        accept[o++] = BASE64[(v << 2) & 0x3F];
        accept[o] = '=';
    }

    // ---------------------------------------------------------------- output

    /**
     * Writes the 28 characters of {@code Sec-WebSocket-Accept} for the accepted request.
     *
     * @return 28, or -1 if {@code dst} lacks room
     * @throws IllegalStateException if the last {@link #validate} did not accept
     */
    public int writeAcceptValue(ByteBuffer dst) {
        requireAccepted();
        if (dst.remaining() < ACCEPT_LENGTH) {
            return -1;
        }
        dst.put(accept);
        return ACCEPT_LENGTH;
    }

    /** Writes {@code HTTP/1.1 101 Switching Protocols\r\n}; -1 if {@code dst} lacks room. */
    public static int writeStatusLine(ByteBuffer dst) {
        return put(dst, STATUS_LINE);
    }

    /** Bytes {@link #writeHeaderLines} writes for the accepted request. */
    public int headerLinesLength() {
        requireAccepted();
        int n = UPGRADE_LINES.length + ACCEPT_LENGTH + CRLF.length;
        if (selectedLength >= 0) {
            n += PROTOCOL_NAME.length + selectedLength + CRLF.length;
        }
        if (deflateParams >= 0) {
            n += negotiator.responseLineLength();
        }
        return n;
    }

    /**
     * Writes the WebSocket header lines of the 101 response, each ending in CRLF, without the status line and without
     * the blank line: {@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-Accept}, and
     * {@code Sec-WebSocket-Protocol} when one was chosen. For a glue that adds its own headers (CORS).
     *
     * @return bytes written, or -1 (nothing written) if {@code dst} lacks room
     * @throws IllegalStateException if the last {@link #validate} did not accept
     */
    public int writeHeaderLines(ByteBuffer dst) {
        int n = headerLinesLength();
        if (dst.remaining() < n) {
            return -1;
        }
        dst.put(UPGRADE_LINES);
        dst.put(accept);
        dst.put(CRLF);
        if (selectedLength >= 0) {
            dst.put(PROTOCOL_NAME);
            dst.put(offers, selectedOffset, selectedLength);
            dst.put(CRLF);
        }
        if (deflateParams >= 0) {
            negotiator.writeResponseLine(dst);
        }
        return n;
    }

    /**
     * Writes the whole {@code 101} response: status line, {@link #writeHeaderLines header lines}, blank line.
     *
     * @return bytes written, or -1 (nothing written) if {@code dst} lacks room
     * @throws IllegalStateException if the last {@link #validate} did not accept
     */
    public int writeResponse(ByteBuffer dst) {
        int n = STATUS_LINE.length + headerLinesLength() + CRLF.length;
        if (dst.remaining() < n) {
            return -1;
        }
        dst.put(STATUS_LINE);
        writeHeaderLines(dst);
        dst.put(CRLF);
        return n;
    }

    /**
     * Writes a complete rejection for {@code outcome}: {@code 400 Bad Request}, or {@code 426 Upgrade Required} with
     * {@code Sec-WebSocket-Version: 13}; {@code Connection: close}, empty body. Stateless.
     *
     * @return bytes written, or -1 (nothing written) if {@code dst} lacks room
     * @throws IllegalArgumentException for {@link Outcome#ACCEPTED}
     */
    public static int writeRejection(ByteBuffer dst, Outcome outcome) {
        if (outcome.isAccepted()) {
            throw new IllegalArgumentException("not a rejection");
        }
        return put(dst, outcome.status() == 426 ? REJECT_426 : REJECT_400);
    }

    /**
     * Writes npm ws's rejection for {@code outcome} (a result of {@link #validateAsNodeWs}), byte for byte: see the
     * table in the class Javadoc. Stateless.
     *
     * @return bytes written, or -1 (nothing written) if {@code dst} lacks room
     * @throws IllegalArgumentException for {@link Outcome#ACCEPTED} and the outcomes ws's rules never give
     */
    public static int writeNodeWsRejection(ByteBuffer dst, Outcome outcome) {
        switch (outcome) {
            case METHOD_NOT_GET:
                return put(dst, WS_REJECT_METHOD);
            case MISSING_UPGRADE:
                return put(dst, WS_REJECT_UPGRADE);
            case MISSING_KEY:
            case DUPLICATE_KEY:
            case INVALID_KEY:
                return put(dst, WS_REJECT_KEY);
            case UNSUPPORTED_VERSION:
                return put(dst, WS_REJECT_VERSION);
            case SUBPROTOCOL_OFFER_TOO_LONG:
            case INVALID_SUBPROTOCOL_OFFER:
                return put(dst, WS_REJECT_PROTOCOL);
            case INVALID_EXTENSION_OFFER:
                return put(dst, WS_REJECT_EXTENSIONS);
            default:
                throw new IllegalArgumentException("not a rejection under the npm ws rules: " + outcome);
        }
    }

    /** ws's {@code abortHandshake(socket, status, message, extraHeaders)}; its only extra header is the version. */
    private static byte[] nodeWsRejection(int status, String message, String secWebSocketVersion) {
        return HttpResponseWriter.canned(status, w -> {
            w.connection(false, false).header(HttpResponseWriter.CONTENT_TYPE, HttpResponseWriter.TEXT_HTML)
                    .contentLength(message.length());
            if (secWebSocketVersion != null) {
                w.header(HttpResponseWriter.SEC_WEBSOCKET_VERSION, secWebSocketVersion);
            }
            return w.endHeaders().body(ascii(message));
        });
    }

    private void requireAccepted() {
        if (outcome != Outcome.ACCEPTED) {
            throw new IllegalStateException("handshake not accepted: " + outcome);
        }
    }

    private static int put(ByteBuffer dst, byte[] bytes) {
        if (dst.remaining() < bytes.length) {
            return -1;
        }
        dst.put(bytes);
        return bytes.length;
    }

    // ---------------------------------------------------------------- lexical helpers

    private static boolean isOws(int b) {
        return b == ' ' || b == '\t';
    }

    private static int lower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private static int field(ByteBuffer buf, int offset, int length) {
        for (int f = 1; f < NAMES.length; f++) {
            byte[] name = NAMES[f];
            if (name.length == length && equalsLower(buf, offset, name)) {
                return f;
            }
        }
        return H_OTHER;
    }

    private static int field(CharSequence nameSeq) {
        int length = nameSeq.length();
        for (int f = 1; f < NAMES.length; f++) {
            byte[] name = NAMES[f];
            if (name.length != length) {
                continue;
            }
            int i = 0;
            while (i < length && lower(nameSeq.charAt(i)) == name[i]) {
                i++;
            }
            if (i == length) {
                return f;
            }
        }
        return H_OTHER;
    }

    private static boolean equalsLower(ByteBuffer buf, int offset, byte[] lowerName) {
        for (int i = 0; i < lowerName.length; i++) {
            if (lower(buf.get(offset + i)) != lowerName[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the comma-separated list {@code buf[start, end)} holds {@code token} (ASCII case-insensitive). */
    private static boolean containsToken(ByteBuffer buf, int start, int end, byte[] token) {
        int i = start;
        while (i <= end) {
            int comma = i;
            while (comma < end && buf.get(comma) != ',') {
                comma++;
            }
            int s = i;
            int e = comma;
            while (s < e && isOws(buf.get(s))) {
                s++;
            }
            while (e > s && isOws(buf.get(e - 1))) {
                e--;
            }
            if (e - s == token.length && equalsLower(buf, s, token)) {
                return true;
            }
            i = comma + 1;
        }
        return false;
    }

    /** ws's {@code /^[+/0-9A-Za-z]{22}==$/}, on 24 bytes at {@code start}. */
    private static boolean isKeyShape(ByteBuffer buf, int start) {
        for (int i = 0; i < 22; i++) {
            if (base64Value(buf.get(start + i)) < 0) {
                return false;
            }
        }
        return buf.get(start + 22) == '=' && buf.get(start + 23) == '=';
    }

    /** 16 bytes = 128 bits: the 22nd character carries 2 bits, its low 4 bits must be zero (canonical base64). */
    private static boolean hasNoStrayBits(ByteBuffer buf, int start) {
        return (base64Value(buf.get(start + 21)) & 0x0F) == 0;
    }

    /** Whether {@code buf[start, end)} is a decimal integer (leading zeros allowed) equal to 13 or 8. */
    private static boolean isDecimal13or8(ByteBuffer buf, int start, int end) {
        if (start == end) {
            return false;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            int c = buf.get(i);
            if (c < '0' || c > '9') {
                return false;
            }
            value = value * 10 + (c - '0');
            if (value > 13) {
                return false;
            }
        }
        return value == 13 || value == 8;
    }

    /**
     * ws's {@code subprotocol.parse} on {@code list[0, length)}: tokens (RFC 9110 tchar) separated by commas, SP/HTAB
     * after a token or before one (not at the very start), no empty element, no token twice.
     */
    private static boolean isDistinctTokenList(byte[] list, int length) {
        int start = -1;
        int end = -1;
        for (int i = 0; i < length; i++) {
            int c = list[i] & 0xFF;
            if (end == -1 && isTchar(c)) {
                if (start == -1) {
                    start = i;
                }
            } else if (i != 0 && (c == ' ' || c == '\t')) {
                if (end == -1 && start != -1) {
                    end = i;
                }
            } else if (c == ',') {
                if (start == -1) {
                    return false;
                }
                if (end == -1) {
                    end = i;
                }
                if (occursBefore(list, start, end)) {
                    return false;
                }
                start = -1;
                end = -1;
            } else {
                return false;
            }
        }
        if (start == -1 || end != -1) {
            return false;
        }
        return !occursBefore(list, start, length);
    }

    /** Whether the token {@code list[start, end)} equals an earlier element of the (valid so far) list. */
    private static boolean occursBefore(byte[] list, int start, int end) {
        int n = end - start;
        int i = 0;
        while (i < start) {
            while (i < start && !isTchar(list[i] & 0xFF)) {
                i++;
            }
            int s = i;
            while (i < start && isTchar(list[i] & 0xFF)) {
                i++;
            }
            if (i - s == n && java.util.Arrays.equals(list, s, i, list, start, end)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 §5.6.2 tchar. */
    private static boolean isTchar(int c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
            return true;
        }
        return c < 0x7F && "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    private static int base64Value(int c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        return c == '/' ? 63 : -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A reusable ASCII view over part of a byte array. */
    private static final class AsciiView implements CharSequence {
        private final byte[] bytes;
        private int offset;
        private int length;

        AsciiView(byte[] bytes) {
            this.bytes = bytes;
        }

        void set(int offset, int length) {
            this.offset = offset;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= length) {
                throw new IndexOutOfBoundsException(index);
            }
            return (char) (bytes[offset + index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
    }
}
