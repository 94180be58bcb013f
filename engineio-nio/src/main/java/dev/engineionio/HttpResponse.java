package dev.engineionio;

import java.nio.charset.StandardCharsets;

/**
 * The answer an {@link HttpHandler} builds. Use it on the thread that called the handler, before the handler
 * returns; {@code Content-Length} and {@code Connection} are written by the server.
 */
public interface HttpResponse {

    /**
     * Sets the status (default 200).
     *
     * @param status the status code, 200 to 599 except 204 and 304 (the answer always has a length), e.g. 404
     * @return this response
     * @throws IllegalArgumentException if the status is out of that range
     */
    HttpResponse status(int status);

    /**
     * Adds a header. A name or value that is not valid on the wire turns the answer into a {@code 500}.
     *
     * @param name  the name, an RFC 9110 token
     * @param value the value, without CR, LF or other control characters
     * @return this response
     * @throws IllegalArgumentException for {@code Content-Length}, {@code Connection} or {@code Transfer-Encoding},
     *                                  which the server writes
     */
    HttpResponse header(String name, String value);

    /**
     * Sends the response (the body is omitted for a {@code HEAD} request). Call once, before the handler returns.
     *
     * @param body the body (empty for none); kept until written, do not modify it
     * @throws IllegalStateException if the response was already sent
     */
    void send(byte[] body);

    /**
     * Sends the response with a text body. Call once.
     *
     * @param body the body, encoded as UTF-8
     * @throws IllegalStateException if the response was already sent
     */
    default void send(String body) {
        send(body.getBytes(StandardCharsets.UTF_8));
    }
}
