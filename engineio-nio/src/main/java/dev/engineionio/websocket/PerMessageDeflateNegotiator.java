package dev.engineionio.websocket;

import java.nio.charset.StandardCharsets;

/**
 * The server side of permessage-deflate negotiation (RFC 7692 §5, §7.1): reads the client's
 * {@code Sec-WebSocket-Extensions} offers, picks the first one the {@link PerMessageDeflateConfig} accepts, and writes
 * the response's extension value. Sans-I/O: bytes in, a decision and bytes out.
 *
 * <h2>Grammar</h2>
 * The header is read as npm ws's {@code extension.parse} reads it (RFC 6455 §9.1, RFC 7230 §3.2.6):
 * <pre>
 *   Sec-WebSocket-Extensions = extension *( "," extension )
 *   extension = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" ( token | quoted-string ) ]   ; a quoted value must unescape to a token
 * </pre>
 * with SP/HTAB allowed around tokens (not at the very start). Names are case-sensitive, as in ws. Several header lines
 * are joined with {@code ","} before parsing. Offers of other extensions are parsed and ignored.
 *
 * <h2>Parameters of one offer (RFC 7692 §7.1)</h2>
 * <table>
 *   <caption>What makes an offer invalid, and what makes a valid one unacceptable</caption>
 *   <tr><th>parameter</th><th>valid</th><th>accepted when</th></tr>
 *   <tr><td>{@code server_no_context_takeover}</td><td>no value</td><td>the config's setting is not FALSE</td></tr>
 *   <tr><td>{@code client_no_context_takeover}</td><td>no value</td><td>always</td></tr>
 *   <tr><td>{@code server_max_window_bits}</td><td>a value 8..15</td><td>the value is 15 (our Deflater's only window)
 *       and the config's setting is not {@link PerMessageDeflateConfig#WINDOW_DECLINE}</td></tr>
 *   <tr><td>{@code client_max_window_bits}</td><td>no value, or 8..15</td><td>if the config asks a window: the offer
 *       carries the parameter, with no value or at least the asked one</td></tr>
 * </table>
 * Values are one or two decimal digits without a leading zero (RFC 7692 §7.1.2.1), possibly quoted. A parameter
 * twice, an unknown parameter or an invalid value makes the offer invalid.
 *
 * <h2>Outcomes</h2>
 * <table>
 *   <caption>RFC 6455 endpoints ({@code nodeWs = false}) and the Engine.IO endpoint ({@code nodeWs = true})</caption>
 *   <tr><th>case</th><th>RFC rules</th><th>npm ws rules</th></tr>
 *   <tr><td>the header does not parse</td><td>{@link #REJECT} (400, RFC 6455 §4.2.2)</td><td>{@link #REJECT}</td></tr>
 *   <tr><td>an invalid permessage-deflate offer</td><td>that offer is declined (RFC 7692 §5: "MUST decline"), the
 *       next one is tried</td><td>{@link #REJECT}, whatever the other offers (ws's {@code normalizeParams})</td></tr>
 *   <tr><td>no valid offer the config accepts</td><td>{@link #DECLINED}: no extension</td><td>{@link #REJECT} (ws
 *       throws "None of the extension offers can be accepted"), except when the only obstacle was a
 *       {@code server_max_window_bits} below 15, which ws would accept and we cannot: {@link #DECLINED}</td></tr>
 *   <tr><td>an acceptable offer</td><td colspan="2">the first one: its agreed parameters, as an int (see
 *       {@link #serverNoContextTakeover(int)} and the other accessors)</td></tr>
 * </table>
 * The response lists the accepted offer's parameters in their offered order, then the ones the config adds, as ws's
 * {@code acceptAsServer} and {@code extension.format} do: e.g. offer {@code permessage-deflate; client_max_window_bits}
 * is answered {@code permessage-deflate} (the bare {@code client_max_window_bits} only says the client could take a
 * value).
 *
 * <p>Not thread-safe: one per {@link WebSocketHandshake} (one per loop), reused; no allocation after construction.
 * Limit: at most {@link #MAX_HEADER_BYTES} bytes of extension offers (all lines), else {@link #REJECT}.
 */
public final class PerMessageDeflateNegotiator {

    /** Most bytes of {@code Sec-WebSocket-Extensions} read per request, all lines together with separators. */
    public static final int MAX_HEADER_BYTES = 2048;

    /** {@link #negotiate} result: no extension offered or none accepted; no response header. */
    public static final int DECLINED = -1;
    /** {@link #negotiate} result: the handshake fails with 400. */
    public static final int REJECT = -2;

    /** The extension's name (RFC 7692 §5). */
    public static final String EXTENSION_NAME = "permessage-deflate";

    private static final int SNCT = 0;
    private static final int CNCT = 1;
    private static final int SMWB = 2;
    private static final int CMWB = 3;
    private static final byte[][] PARAM_NAMES = {
        ascii("server_no_context_takeover"), ascii("client_no_context_takeover"),
        ascii("server_max_window_bits"), ascii("client_max_window_bits"),
    };
    private static final byte[] NAME = ascii(EXTENSION_NAME);
    private static final byte[] HEADER_NAME = ascii("Sec-WebSocket-Extensions: ");

    // Agreed parameters, packed in an int.
    private static final int A_SNCT = 1;
    private static final int A_CNCT = 2;
    private static final int A_SMWB_SHIFT = 4;
    private static final int A_CMWB_SHIFT = 8;

    /** At most this many permessage-deflate offers are kept (more cannot fit {@link #MAX_HEADER_BYTES}). */
    private static final int MAX_OFFERS = MAX_HEADER_BYTES / NAME.length + 1;

    private static final boolean[] TCHAR = new boolean[128];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
    }

    private final byte[] header = new byte[MAX_HEADER_BYTES];
    private int headerLength;
    private int lines;
    private boolean overflow;

    // Per permessage-deflate offer: seen mask (bit per param), order (2 bits per position), values, invalid flag.
    private final int[] offerSeen = new int[MAX_OFFERS];
    private final int[] offerOrder = new int[MAX_OFFERS];
    private final int[] offerCount = new int[MAX_OFFERS];
    private final int[] offerSmwb = new int[MAX_OFFERS];
    private final int[] offerCmwb = new int[MAX_OFFERS];
    private final boolean[] offerInvalid = new boolean[MAX_OFFERS];
    private int offers;
    private boolean current; // the extension being parsed is permessage-deflate (and has a slot)
    private final byte[] unescaped = new byte[8];

    private final byte[] response = new byte[160];
    private int responseLength;

    /** Forgets the previous request. */
    public void reset() {
        headerLength = 0;
        lines = 0;
        overflow = false;
        offers = 0;
        responseLength = 0;
    }

    /** Whether any {@code Sec-WebSocket-Extensions} line was given since {@link #reset()}. */
    public boolean hasOffer() {
        return lines > 0;
    }

    /** One {@code Sec-WebSocket-Extensions} value (OWS trimmed by the caller), {@code buf[offset, offset+length)}. */
    public void addLine(java.nio.ByteBuffer buf, int offset, int length) {
        int separator = lines++ == 0 ? 0 : 1;
        if (overflow || headerLength + separator + length > MAX_HEADER_BYTES) {
            overflow = true;
            return;
        }
        if (separator == 1) {
            header[headerLength++] = ',';
        }
        buf.get(offset, header, headerLength, length);
        headerLength += length;
    }

    /** As {@link #addLine(java.nio.ByteBuffer, int, int)}, for tests and the {@code CharSequence} handshake forms. */
    public void addLine(CharSequence value) {
        byte[] b = new byte[value.length()];
        for (int i = 0; i < b.length; i++) {
            char c = value.charAt(i);
            b[i] = c < 0x80 ? (byte) c : (byte) 0xFF;
        }
        addLine(java.nio.ByteBuffer.wrap(b), 0, b.length);
    }

    /**
     * Decides on the lines given since {@link #reset()}; on acceptance prepares the response value.
     *
     * @param config the server's policy
     * @param nodeWs npm ws's rules (the Engine.IO endpoint) instead of RFC 7692's (raw endpoints)
     * @return the agreed parameters (at least 0), {@link #DECLINED} or {@link #REJECT}
     */
    public int negotiate(PerMessageDeflateConfig config, boolean nodeWs) {
        responseLength = 0;
        if (lines == 0) {
            return DECLINED;
        }
        if (overflow || !parse()) {
            return REJECT;
        }
        if (offers == 0) {
            return DECLINED;
        }
        boolean anyInvalid = false;
        boolean windowOnly = false;
        for (int i = 0; i < offers; i++) {
            if (offerInvalid[i]) {
                anyInvalid = true;
            }
        }
        if (nodeWs && anyInvalid) {
            return REJECT;
        }
        for (int i = 0; i < offers; i++) {
            if (offerInvalid[i] || !acceptableToWs(config, i)) {
                continue;
            }
            if ((offerSeen[i] & (1 << SMWB)) != 0 && offerSmwb[i] != 15) {
                windowOnly = true; // ws would take it; our Deflater cannot use a smaller window
                continue;
            }
            return accept(config, i);
        }
        return nodeWs && !windowOnly ? REJECT : DECLINED;
    }

    /** ws's {@code acceptAsServer} filter. */
    private boolean acceptableToWs(PerMessageDeflateConfig c, int i) {
        int seen = offerSeen[i];
        if (Boolean.FALSE.equals(c.serverNoContextTakeover()) && (seen & (1 << SNCT)) != 0) {
            return false;
        }
        if ((seen & (1 << SMWB)) != 0 && (c.serverMaxWindowBits() == PerMessageDeflateConfig.WINDOW_DECLINE
                || c.serverMaxWindowBits() > offerSmwb[i])) {
            return false;
        }
        int cmwb = c.clientMaxWindowBits();
        if (cmwb > 0) {
            if ((seen & (1 << CMWB)) == 0) {
                return false;
            }
            return offerCmwb[i] == 0 || cmwb <= offerCmwb[i];
        }
        return true;
    }

    /** ws's {@code acceptAsServer} result and {@code extension.format}. */
    private int accept(PerMessageDeflateConfig c, int i) {
        int seen = offerSeen[i];
        int order = offerOrder[i];
        int count = offerCount[i];
        int smwb = offerSmwb[i];
        int cmwb = offerCmwb[i];
        if (Boolean.TRUE.equals(c.serverNoContextTakeover()) && (seen & (1 << SNCT)) == 0) {
            seen |= 1 << SNCT;
            order |= SNCT << (2 * count++);
        }
        if (Boolean.TRUE.equals(c.clientNoContextTakeover()) && (seen & (1 << CNCT)) == 0) {
            seen |= 1 << CNCT;
            order |= CNCT << (2 * count++);
        }
        if (c.serverMaxWindowBits() > 0) {
            if ((seen & (1 << SMWB)) == 0) {
                seen |= 1 << SMWB;
                order |= SMWB << (2 * count++);
            }
            smwb = c.serverMaxWindowBits();
        }
        if (c.clientMaxWindowBits() > 0) {
            if ((seen & (1 << CMWB)) == 0) {
                seen |= 1 << CMWB;
                order |= CMWB << (2 * count++);
            }
            cmwb = c.clientMaxWindowBits();
        } else if ((seen & (1 << CMWB)) != 0 && (cmwb == 0
                || c.clientMaxWindowBits() == PerMessageDeflateConfig.WINDOW_DECLINE)) {
            seen &= ~(1 << CMWB);
        }
        int n = 0;
        n = put(NAME, n);
        for (int k = 0; k < count; k++) {
            int p = (order >>> (2 * k)) & 3;
            if ((seen & (1 << p)) == 0) {
                continue;
            }
            response[n++] = ';';
            response[n++] = ' ';
            n = put(PARAM_NAMES[p], n);
            int v = p == SMWB ? smwb : p == CMWB ? cmwb : 0;
            if (v > 0) {
                response[n++] = '=';
                if (v >= 10) {
                    response[n++] = '1';
                }
                response[n++] = (byte) ('0' + v % 10);
            }
        }
        responseLength = n;
        int agreed = 0;
        if ((seen & (1 << SNCT)) != 0) {
            agreed |= A_SNCT;
        }
        if ((seen & (1 << CNCT)) != 0) {
            agreed |= A_CNCT;
        }
        if ((seen & (1 << SMWB)) != 0) {
            agreed |= smwb << A_SMWB_SHIFT;
        }
        if ((seen & (1 << CMWB)) != 0) {
            agreed |= cmwb << A_CMWB_SHIFT;
        }
        return agreed;
    }

    private int put(byte[] b, int n) {
        System.arraycopy(b, 0, response, n, b.length);
        return n + b.length;
    }

    /** Bytes of the response line {@code Sec-WebSocket-Extensions: ...\r\n} after an acceptance, else 0. */
    public int responseLineLength() {
        return responseLength == 0 ? 0 : HEADER_NAME.length + responseLength + 2;
    }

    /** Writes the response line (see {@link #responseLineLength()}); the caller checked the room. */
    public void writeResponseLine(java.nio.ByteBuffer dst) {
        if (responseLength == 0) {
            return;
        }
        dst.put(HEADER_NAME);
        dst.put(response, 0, responseLength);
        dst.put((byte) '\r').put((byte) '\n');
    }

    /** The response value after an acceptance, e.g. {@code permessage-deflate; server_no_context_takeover} (tests). */
    public String responseValue() {
        return new String(response, 0, responseLength, StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- agreed parameters

    /** Packs agreed parameters (window bits 0 when absent), as {@link #negotiate} returns them. */
    public static int agreed(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int serverMaxWindowBits,
                             int clientMaxWindowBits) {
        return (serverNoContextTakeover ? A_SNCT : 0) | (clientNoContextTakeover ? A_CNCT : 0)
                | (serverMaxWindowBits & 0xF) << A_SMWB_SHIFT | (clientMaxWindowBits & 0xF) << A_CMWB_SHIFT;
    }

    /** Whether the server resets its compression context after each message. */
    public static boolean serverNoContextTakeover(int agreed) {
        return (agreed & A_SNCT) != 0;
    }

    /** Whether the client resets its compression context after each message (we may reset our inflater). */
    public static boolean clientNoContextTakeover(int agreed) {
        return (agreed & A_CNCT) != 0;
    }

    /** The agreed {@code server_max_window_bits}, 0 when absent. */
    public static int serverMaxWindowBits(int agreed) {
        return (agreed >>> A_SMWB_SHIFT) & 0xF;
    }

    /** The agreed {@code client_max_window_bits}, 0 when absent. */
    public static int clientMaxWindowBits(int agreed) {
        return (agreed >>> A_CMWB_SHIFT) & 0xF;
    }

    // ---------------------------------------------------------------- parsing (a port of ws's extension.parse)

    private static boolean tchar(int c) {
        return c < 128 && TCHAR[c];
    }

    /** Parses {@link #header}; false on a syntax error. */
    private boolean parse() {
        byte[] h = header;
        int n = headerLength;
        boolean inParams = false;   // an extension name was read (ws's extensionName !== undefined)
        int paramStart = -1;        // a parameter name was read (ws's paramName !== undefined) when >= 0
        int paramEnd = -1;
        boolean mustUnescape = false;
        boolean escaping = false;
        boolean inQuotes = false;
        int start = -1;
        int end = -1;
        int code = -1;
        int i = 0;
        for (; i < n; i++) {
            code = h[i] & 0xFF;
            if (!inParams) {
                if (end == -1 && tchar(code)) {
                    if (start == -1) {
                        start = i;
                    }
                } else if (i != 0 && (code == ' ' || code == '\t')) {
                    if (end == -1 && start != -1) {
                        end = i;
                    }
                } else if (code == ';' || code == ',') {
                    if (start == -1) {
                        return false;
                    }
                    if (end == -1) {
                        end = i;
                    }
                    beginExtension(start, end);
                    if (code == ',') {
                        current = false;
                    } else {
                        inParams = true;
                    }
                    start = end = -1;
                } else {
                    return false;
                }
            } else if (paramStart < 0) {
                if (end == -1 && tchar(code)) {
                    if (start == -1) {
                        start = i;
                    }
                } else if (code == ' ' || code == '\t') {
                    if (end == -1 && start != -1) {
                        end = i;
                    }
                } else if (code == ';' || code == ',') {
                    if (start == -1) {
                        return false;
                    }
                    if (end == -1) {
                        end = i;
                    }
                    param(start, end, -1, -1, false);
                    if (code == ',') {
                        inParams = false;
                        current = false;
                    }
                    start = end = -1;
                } else if (code == '=' && start != -1 && end == -1) {
                    paramStart = start;
                    paramEnd = i;
                    start = end = -1;
                } else {
                    return false;
                }
            } else {
                if (escaping) {
                    if (!tchar(code)) {
                        return false;
                    }
                    if (start == -1) {
                        start = i;
                    } else {
                        mustUnescape = true;
                    }
                    escaping = false;
                } else if (inQuotes) {
                    if (tchar(code)) {
                        if (start == -1) {
                            start = i;
                        }
                    } else if (code == '"' && start != -1) {
                        inQuotes = false;
                        end = i;
                    } else if (code == '\\') {
                        escaping = true;
                    } else {
                        return false;
                    }
                } else if (code == '"' && (h[i - 1] & 0xFF) == '=') {
                    inQuotes = true;
                } else if (end == -1 && tchar(code)) {
                    if (start == -1) {
                        start = i;
                    }
                } else if (start != -1 && (code == ' ' || code == '\t')) {
                    if (end == -1) {
                        end = i;
                    }
                } else if (code == ';' || code == ',') {
                    if (start == -1) {
                        return false;
                    }
                    if (end == -1) {
                        end = i;
                    }
                    param(paramStart, paramEnd, start, end, mustUnescape);
                    mustUnescape = false;
                    if (code == ',') {
                        inParams = false;
                        current = false;
                    }
                    paramStart = -1;
                    start = end = -1;
                } else {
                    return false;
                }
            }
        }
        if (start == -1 || inQuotes || code == ' ' || code == '\t') {
            return false;
        }
        if (end == -1) {
            end = i;
        }
        if (!inParams) {
            beginExtension(start, end);
        } else if (paramStart < 0) {
            param(start, end, -1, -1, false);
        } else {
            param(paramStart, paramEnd, start, end, mustUnescape);
        }
        current = false;
        return true;
    }

    private void beginExtension(int start, int end) {
        current = end - start == NAME.length && java.util.Arrays.equals(header, start, end, NAME, 0, NAME.length)
                && offers < MAX_OFFERS;
        if (current) {
            int k = offers++;
            offerSeen[k] = 0;
            offerOrder[k] = 0;
            offerCount[k] = 0;
            offerSmwb[k] = 0;
            offerCmwb[k] = 0;
            offerInvalid[k] = false;
        }
    }

    /** One parameter of the current extension: a value {@code [vStart, vEnd)} or none ({@code vStart < 0}). */
    private void param(int nStart, int nEnd, int vStart, int vEnd, boolean mustUnescape) {
        if (!current) {
            return;
        }
        int k = offers - 1;
        int p = -1;
        for (int j = 0; j < PARAM_NAMES.length; j++) {
            byte[] name = PARAM_NAMES[j];
            if (nEnd - nStart == name.length && java.util.Arrays.equals(header, nStart, nEnd, name, 0, name.length)) {
                p = j;
                break;
            }
        }
        if (p < 0 || (offerSeen[k] & (1 << p)) != 0) {
            offerInvalid[k] = true; // unknown or repeated (RFC 7692 §5)
            return;
        }
        offerSeen[k] |= 1 << p;
        offerOrder[k] |= p << (2 * offerCount[k]++);
        int bits = vStart < 0 ? 0 : windowBits(vStart, vEnd, mustUnescape);
        switch (p) {
            case SNCT:
            case CNCT:
                if (vStart >= 0) {
                    offerInvalid[k] = true;
                }
                break;
            case SMWB:
                if (bits <= 0) {
                    offerInvalid[k] = true;
                }
                offerSmwb[k] = bits;
                break;
            default:
                if (vStart >= 0 && bits <= 0) {
                    offerInvalid[k] = true;
                }
                offerCmwb[k] = Math.max(bits, 0);
                break;
        }
    }

    /** 8..15 from one or two digits without a leading zero; -1 otherwise. */
    private int windowBits(int start, int end, boolean mustUnescape) {
        byte[] src = header;
        if (mustUnescape) {
            int m = 0;
            for (int i = start; i < end; i++) {
                if (header[i] != '\\') {
                    if (m == unescaped.length) {
                        return -1;
                    }
                    unescaped[m++] = header[i];
                }
            }
            src = unescaped;
            start = 0;
            end = m;
        }
        int len = end - start;
        if (len == 1) {
            int d = src[start] - '0';
            return d >= 8 && d <= 9 ? d : -1;
        }
        if (len == 2 && src[start] == '1') {
            int d = src[start + 1] - '0';
            return d >= 0 && d <= 5 ? 10 + d : -1;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
