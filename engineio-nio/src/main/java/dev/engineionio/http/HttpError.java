package dev.engineionio.http;

/**
 * Every reason the HTTP/1.1 layer rejects a request, one constant per cause. Each carries the status to answer
 * with and a short fixed reason that is safe to send to the peer. Every error is followed by a connection close
 * (RFC 9112 §6.3: once the framing is in doubt the connection cannot be reused).
 *
 * <p>Hostile traffic builds no exception objects: the parser returns {@link HttpRequestParser#ERROR} and exposes
 * one of these constants. {@link #code()} is stable (its position in this list never changes once released) so it
 * can be counted in a metrics array.
 *
 * <p>Immutable; any thread may use it. The canned response bytes ({@link #cannedResponse()}) are shared and must
 * not be modified.
 */
public enum HttpError {
    /** The request line is longer than {@link HttpLimits#maxRequestLineLength()} (RFC 9112 §3). */
    REQUEST_LINE_TOO_LONG(414, "Request line too long"),
    /** The header section is larger than {@link HttpLimits#maxHeaderSectionSize()} (RFC 9112 §5, RFC 6585 §5). */
    HEADER_SECTION_TOO_LARGE(431, "Header section too large"),
    /** More header lines than {@link HttpLimits#maxHeaderCount()}. */
    TOO_MANY_HEADERS(431, "Too many header fields"),
    /** The trailer section of a chunked body is larger than {@link HttpLimits#maxTrailerSectionSize()}. */
    TRAILER_SECTION_TOO_LARGE(431, "Trailer section too large"),
    /** The body (Content-Length, or the sum of chunk sizes) exceeds {@link HttpLimits#maxBodySize()}. */
    BODY_TOO_LARGE(413, "Content too large"),
    /** The method is empty or has a character that is not a token character (RFC 9110 §9.1). */
    INVALID_METHOD(400, "Invalid method"),
    /** CONNECT is not supported by this server (RFC 9110 §9.3.6). */
    CONNECT_NOT_SUPPORTED(501, "CONNECT not supported"),
    /** The request-target has a forbidden character or is not origin-, absolute- or asterisk-form (RFC 9112 §3.2). */
    INVALID_TARGET(400, "Invalid request target"),
    /** The HTTP-version is malformed or missing (RFC 9112 §2.3), or the request line has extra whitespace. */
    INVALID_VERSION(400, "Invalid HTTP version"),
    /** A well-formed HTTP-version whose major version is not 1, e.g. {@code HTTP/2.0} (RFC 9110 §15.6.6). */
    UNSUPPORTED_VERSION(505, "HTTP version not supported"),
    /** A CR not followed by LF (RFC 9112 §2.2: a bare CR must be rejected or replaced; we reject). */
    BARE_CR(400, "Bare CR"),
    /** An LF not preceded by CR. This parser requires CRLF everywhere (see {@link HttpRequestParser}). */
    BARE_LF(400, "Bare LF"),
    /** A field name is empty or has a non-token character (RFC 9110 §5.1). */
    INVALID_HEADER_NAME(400, "Invalid header name"),
    /** Whitespace between a field name and the colon (RFC 9112 §5.1: MUST reject with 400). */
    WHITESPACE_BEFORE_COLON(400, "Whitespace before colon"),
    /** A header line without a colon. */
    MISSING_COLON(400, "Header line without colon"),
    /** A line starting with SP/HTAB: obs-fold, or whitespace after the start line (RFC 9112 §5.2, §2.2). */
    OBS_FOLD(400, "Obsolete line folding"),
    /** A field value with a control character or NUL (RFC 9110 §5.5). */
    INVALID_HEADER_VALUE(400, "Invalid header value"),
    /** HTTP/1.1 request without Host (RFC 9112 §3.2). */
    MISSING_HOST(400, "Missing Host"),
    /** More than one Host field line (RFC 9112 §3.2). */
    DUPLICATE_HOST(400, "Duplicate Host"),
    /** A Host value that is not uri-host [":" port] (RFC 9112 §3.2, RFC 3986 §3.2.2). */
    INVALID_HOST(400, "Invalid Host"),
    /** Content-Length is not 1*DIGIT, overflows, or is empty (RFC 9110 §8.6). */
    INVALID_CONTENT_LENGTH(400, "Invalid Content-Length"),
    /** Several Content-Length values that differ (RFC 9110 §8.6; identical repeats are accepted). */
    CONFLICTING_CONTENT_LENGTH(400, "Conflicting Content-Length"),
    /** Both Content-Length and Transfer-Encoding (RFC 9112 §6.3 item 3: smuggling; we reject). */
    CONTENT_LENGTH_WITH_TRANSFER_ENCODING(400, "Content-Length with Transfer-Encoding"),
    /** Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1: framing is faulty). */
    TRANSFER_ENCODING_IN_HTTP10(400, "Transfer-Encoding in HTTP/1.0"),
    /** Transfer-Encoding present but chunked is not the final coding, or appears twice (RFC 9112 §6.3 item 4). */
    CHUNKED_NOT_FINAL(400, "Chunked is not the final transfer coding"),
    /** Transfer-Encoding with an empty list or a malformed element. */
    INVALID_TRANSFER_ENCODING(400, "Invalid Transfer-Encoding"),
    /** A transfer coding other than chunked before the final chunked (RFC 9112 §6.1: SHOULD answer 501). */
    UNSUPPORTED_TRANSFER_CODING(501, "Transfer coding not implemented"),
    /** A chunk-size that is empty, not hex, longer than 16 digits or followed by garbage (RFC 9112 §7.1). */
    INVALID_CHUNK_SIZE(400, "Invalid chunk size"),
    /** A chunk extension longer than {@link HttpLimits#maxChunkExtensionSize()}. */
    CHUNK_EXTENSION_TOO_LONG(400, "Chunk extension too long"),
    /** A chunk extension with a control character (RFC 9112 §7.1.1). */
    INVALID_CHUNK_EXTENSION(400, "Invalid chunk extension"),
    /** Chunk data not followed by CRLF (RFC 9112 §7.1). */
    INVALID_CHUNK_DATA_END(400, "Chunk data not followed by CRLF"),
    /** An Expect value other than 100-continue (RFC 9110 §10.1.1). */
    EXPECTATION_FAILED(417, "Expectation failed"),
    /** A malformed percent-escape in the query string (RFC 3986 §2.1). Reported by {@link HttpQuery}. */
    INVALID_QUERY_ESCAPE(400, "Invalid percent-escape in query");

    private final int status;
    private final String reason;
    private final byte[] canned;

    HttpError(int status, String reason) {
        this.status = status;
        this.reason = reason;
        this.canned = HttpResponseWriter.canned(status, w -> w.connection(false, false)
                .header(HttpResponseWriter.CONTENT_TYPE, "text/plain; charset=utf-8")
                .contentLength(reason.length()).endHeaders().body(HttpResponseWriter.ascii(reason)));
    }

    /** The HTTP status code to answer with (400, 413, 414, 417, 431, 501 or 505). */
    public int status() {
        return status;
    }

    /** A short fixed ASCII reason, safe to send to the peer as a plain-text body. */
    public String reason() {
        return reason;
    }

    /** A stable small integer for counting rejections in an array. */
    public int code() {
        return ordinal();
    }

    /**
     * The complete response for this error: status line, {@code Connection: close}, a plain-text content type,
     * Content-Length and the reason as body. Shared: do not modify. Written by
     * {@link HttpResponseWriter#writeError(java.nio.ByteBuffer, HttpError)}.
     */
    byte[] cannedResponse() {
        return canned;
    }
}
