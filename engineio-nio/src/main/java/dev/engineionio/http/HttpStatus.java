package dev.engineionio.http;

/**
 * Reason phrases for the status codes this server sends (RFC 9110 §15). The phrase is informational only (RFC 9112
 * §4: clients ignore it), so unknown codes get an empty phrase rather than an error.
 *
 * <p>The phrases are Node's {@code http.STATUS_CODES} (Node 20), so a status line is byte for byte the reference
 * server's: they equal RFC 9110's except {@code 413}, which Node still calls {@code Payload Too Large} (RFC 7231's
 * name; RFC 9110 renamed it {@code Content Too Large}).
 *
 * <p>Stateless; any thread may use it.
 */
public final class HttpStatus {
    private HttpStatus() {
    }

    /** The reason phrase for {@code status}, or {@code ""} for a code not in the table. */
    public static String reasonPhrase(int status) {
        switch (status) {
            case 100: return "Continue";
            case 101: return "Switching Protocols";
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 304: return "Not Modified";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 411: return "Length Required";
            case 413: return "Payload Too Large"; // Node's name (RFC 7231), not RFC 9110's
            case 414: return "URI Too Long";
            case 415: return "Unsupported Media Type";
            case 417: return "Expectation Failed";
            case 426: return "Upgrade Required";
            case 429: return "Too Many Requests";
            case 431: return "Request Header Fields Too Large";
            case 500: return "Internal Server Error";
            case 501: return "Not Implemented";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 505: return "HTTP Version Not Supported";
            default: return "";
        }
    }
}
