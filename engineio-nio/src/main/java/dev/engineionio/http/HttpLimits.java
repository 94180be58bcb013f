package dev.engineionio.http;

/**
 * The limits of the HTTP/1.1 request parser. Immutable; build with {@link #builder()} or use {@link #DEFAULTS}.
 *
 * <table>
 * <caption>Limits, defaults and the error when exceeded</caption>
 * <tr><th>limit</th><th>default</th><th>measures</th><th>over it</th></tr>
 * <tr><td>{@link #maxRequestLineLength()}</td><td>8192</td><td>method SP target SP version, without CRLF;
 *     also bounds the empty lines ignored before it (RFC 9112 §2.2)</td>
 *     <td>{@link HttpError#REQUEST_LINE_TOO_LONG} 414</td></tr>
 * <tr><td>{@link #maxHeaderSectionSize()}</td><td>16384</td><td>all field lines after the request line, with
 *     their CRLFs and the final empty line</td><td>{@link HttpError#HEADER_SECTION_TOO_LARGE} 431</td></tr>
 * <tr><td>{@link #maxHeaderCount()}</td><td>100</td><td>field lines in one head</td>
 *     <td>{@link HttpError#TOO_MANY_HEADERS} 431</td></tr>
 * <tr><td>{@link #maxBodySize()}</td><td>1048576 (1 MiB)</td><td>Content-Length, or the running sum of chunk
 *     sizes; checked before the data arrives</td><td>{@link HttpError#BODY_TOO_LARGE} 413</td></tr>
 * <tr><td>{@link #maxChunkExtensionSize()}</td><td>1024</td><td>bytes between a chunk-size and its CRLF</td>
 *     <td>{@link HttpError#CHUNK_EXTENSION_TOO_LONG} 400</td></tr>
 * <tr><td>{@link #maxTrailerSectionSize()}</td><td>4096</td><td>trailer field lines and the final CRLF</td>
 *     <td>{@link HttpError#TRAILER_SECTION_TOO_LARGE} 431</td></tr>
 * </table>
 *
 * <p>A value equal to the limit is accepted; one byte more is rejected. The Engine.IO layer may pass its
 * {@code maxHttpBufferSize} (plus framing slack) as {@code maxBodySize} and answer 413 for a polling POST itself,
 * as the reference does. Head limits are capped at 16 MiB so offsets never overflow an {@code int}.
 *
 * <p>Immutable; any thread may use it.
 */
public final class HttpLimits {
    /** The defaults listed in the table above. */
    public static final HttpLimits DEFAULTS = builder().build();

    private static final int MAX_HEAD_LIMIT = 16 << 20;

    private final int maxRequestLineLength;
    private final int maxHeaderSectionSize;
    private final int maxHeaderCount;
    private final long maxBodySize;
    private final int maxChunkExtensionSize;
    private final int maxTrailerSectionSize;

    private HttpLimits(Builder b) {
        this.maxRequestLineLength = b.maxRequestLineLength;
        this.maxHeaderSectionSize = b.maxHeaderSectionSize;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxBodySize = b.maxBodySize;
        this.maxChunkExtensionSize = b.maxChunkExtensionSize;
        this.maxTrailerSectionSize = b.maxTrailerSectionSize;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Longest request line in bytes, without its CRLF. Default 8192. */
    public int maxRequestLineLength() {
        return maxRequestLineLength;
    }

    /** Largest header section in bytes, field lines plus the final CRLF. Default 16384. */
    public int maxHeaderSectionSize() {
        return maxHeaderSectionSize;
    }

    /** Most field lines in one head. Default 100. */
    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    /** Largest body in bytes. Default 1 MiB. */
    public long maxBodySize() {
        return maxBodySize;
    }

    /** Longest chunk extension (bytes after the chunk-size up to CRLF). Default 1024. */
    public int maxChunkExtensionSize() {
        return maxChunkExtensionSize;
    }

    /** Largest trailer section, field lines plus the final CRLF. Default 4096. */
    public int maxTrailerSectionSize() {
        return maxTrailerSectionSize;
    }

    /** Builder of {@link HttpLimits}; not thread-safe. Setters throw {@link IllegalArgumentException} when out of range. */
    public static final class Builder {
        private int maxRequestLineLength = 8192;
        private int maxHeaderSectionSize = 16384;
        private int maxHeaderCount = 100;
        private long maxBodySize = 1 << 20;
        private int maxChunkExtensionSize = 1024;
        private int maxTrailerSectionSize = 4096;

        private Builder() {
        }

        /** 16..16 MiB. */
        public Builder maxRequestLineLength(int v) {
            maxRequestLineLength = check(v, 16, MAX_HEAD_LIMIT, "maxRequestLineLength");
            return this;
        }

        /** 2..16 MiB. */
        public Builder maxHeaderSectionSize(int v) {
            maxHeaderSectionSize = check(v, 2, MAX_HEAD_LIMIT, "maxHeaderSectionSize");
            return this;
        }

        /** 0..65536. */
        public Builder maxHeaderCount(int v) {
            maxHeaderCount = check(v, 0, 65536, "maxHeaderCount");
            return this;
        }

        /** 0..{@code Long.MAX_VALUE / 2}. */
        public Builder maxBodySize(long v) {
            if (v < 0 || v > Long.MAX_VALUE / 2) {
                throw new IllegalArgumentException("maxBodySize out of range: " + v);
            }
            maxBodySize = v;
            return this;
        }

        /** 0..16 MiB. */
        public Builder maxChunkExtensionSize(int v) {
            maxChunkExtensionSize = check(v, 0, MAX_HEAD_LIMIT, "maxChunkExtensionSize");
            return this;
        }

        /** 2..16 MiB. */
        public Builder maxTrailerSectionSize(int v) {
            maxTrailerSectionSize = check(v, 2, MAX_HEAD_LIMIT, "maxTrailerSectionSize");
            return this;
        }

        public HttpLimits build() {
            return new HttpLimits(this);
        }

        private static int check(int v, int min, int max, String name) {
            if (v < min || v > max) {
                throw new IllegalArgumentException(name + " out of range [" + min + ", " + max + "]: " + v);
            }
            return v;
        }
    }
}
