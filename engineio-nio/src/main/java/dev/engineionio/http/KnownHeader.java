package dev.engineionio.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Request header fields the server looks at, identified case-insensitively (RFC 9110 §5.1) while the name is
 * scanned, without allocation: the parser folds each name byte into a hash ({@code h = 31 * h + (b | 0x20)}),
 * probes a 64-slot table and confirms with one case-insensitive compare.
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
            int slot = slot(k.hash);
            while (TABLE[slot] != 0) {
                slot = (slot + 1) & TABLE_MASK;
            }
            TABLE[slot] = (byte) (k.ordinal() + 1);
        }
    }

    private final String lowerName;
    private final byte[] lower;
    private final int hash;

    KnownHeader(String lowerName) {
        this.lowerName = lowerName;
        this.lower = lowerName.getBytes(StandardCharsets.US_ASCII);
        int h = 0;
        for (byte b : lower) {
            h = hashStep(h, b);
        }
        this.hash = h;
    }

    /** The lower-case field name, e.g. {@code "sec-websocket-key"}. */
    public String lowerCaseName() {
        return lowerName;
    }

    static int hashStep(int h, int b) {
        return 31 * h + (b | 0x20);
    }

    private static int slot(int h) {
        return (h ^ (h >>> 6) ^ (h >>> 12)) & TABLE_MASK;
    }

    /**
     * The known header whose name is the {@code len} bytes at absolute {@code start} of {@code buf} (token bytes),
     * given their hash computed with {@link #hashStep}; {@code null} if none.
     */
    static KnownHeader lookup(int hash, ByteBuffer buf, int start, int len) {
        int slot = slot(hash);
        for (;;) {
            int id = TABLE[slot];
            if (id == 0) {
                return null;
            }
            KnownHeader k = VALUES[id - 1];
            if (k.hash == hash && k.lower.length == len && k.matches(buf, start)) {
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
