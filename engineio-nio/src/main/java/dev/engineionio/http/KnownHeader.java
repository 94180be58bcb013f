package dev.engineionio.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Request header fields the server looks at, identified case-insensitively (RFC 9110 §5.1) without allocation:
 * once a name is scanned, its length and its first and last bytes pick a slot of a 64-slot table, and one
 * case-insensitive compare confirms the candidate (no per-byte hash, so the name scan has no dependency chain).
 *
 * <p>Immutable; any thread may use it.
 */
public enum KnownHeader {
    HOST("host"),
    CONTENT_LENGTH("content-length"),
    TRANSFER_ENCODING("transfer-encoding"),
    CONNECTION("connection"),
    UPGRADE("upgrade"),
    SEC_WEBSOCKET_KEY("sec-websocket-key"),
    SEC_WEBSOCKET_VERSION("sec-websocket-version"),
    SEC_WEBSOCKET_PROTOCOL("sec-websocket-protocol"),
    SEC_WEBSOCKET_EXTENSIONS("sec-websocket-extensions"),
    ORIGIN("origin"),
    COOKIE("cookie"),
    CONTENT_TYPE("content-type"),
    ACCEPT_ENCODING("accept-encoding"),
    EXPECT("expect"),
    USER_AGENT("user-agent"),
    ACCESS_CONTROL_REQUEST_METHOD("access-control-request-method"),
    ACCESS_CONTROL_REQUEST_HEADERS("access-control-request-headers"),
    X_FORWARDED_FOR("x-forwarded-for");

    /** Number of constants; sizes per-request index arrays. */
    public static final int COUNT = values().length;

    private static final KnownHeader[] VALUES = values();
    private static final int TABLE_MASK = 63;
    private static final byte[] TABLE = new byte[TABLE_MASK + 1];

    static {
        for (KnownHeader k : VALUES) {
            int slot = slot(k.lower.length, k.lower[0], k.lower[k.lower.length - 1]);
            while (TABLE[slot] != 0) {
                slot = (slot + 1) & TABLE_MASK;
            }
            TABLE[slot] = (byte) (k.ordinal() + 1);
        }
    }

    private final String lowerName;
    private final byte[] lower;

    KnownHeader(String lowerName) {
        this.lowerName = lowerName;
        this.lower = lowerName.getBytes(StandardCharsets.US_ASCII);
    }

    /** The lower-case field name, e.g. {@code "sec-websocket-key"}. */
    public String lowerCaseName() {
        return lowerName;
    }

    /** Slot of a name from its length and its first and last bytes (case folded); no per-byte hashing. */
    private static int slot(int len, int first, int last) {
        return (len * 5 + (first | 0x20) * 3 + (last | 0x20)) & TABLE_MASK;
    }

    /**
     * The known header whose name is the {@code len} bytes at absolute {@code start} of {@code buf} (token bytes,
     * {@code len > 0}); {@code null} if none.
     */
    static KnownHeader lookup(ByteBuffer buf, int start, int len) {
        int slot = slot(len, buf.get(start), buf.get(start + len - 1));
        for (;;) {
            int id = TABLE[slot];
            if (id == 0) {
                return null;
            }
            KnownHeader k = VALUES[id - 1];
            if (k.lower.length == len && k.matches(buf, start)) {
                return k;
            }
            slot = (slot + 1) & TABLE_MASK;
        }
    }

    private boolean matches(ByteBuffer buf, int start) {
        byte[] l = lower;
        for (int j = 0; j < l.length; j++) {
            // Names are token bytes and the known names are letters and '-': OR-ing 0x20 folds case exactly here.
            if ((buf.get(start + j) | 0x20) != l[j]) {
                return false;
            }
        }
        return true;
    }
}
