package dev.engineionio.session;

/**
 * The answer to one polling POST (data request), implemented by the driver glue. One instance per POST request.
 *
 * <p>The session calls at most one method, once, on the session's loop thread:
 * <ul>
 * <li>{@link #respondOk()}: {@code 200}, {@code Content-Type: text/html}, {@code Content-Length: 2}, body {@code ok};</li>
 * <li>{@link #respondStatus(int)}: an empty-bodied {@code 400} (overlap, invalid content) or {@code 413} (body over
 *     {@code maxHttpBufferSize});</li>
 * <li>{@link #abort()}: the session closed while the body was still streaming: destroy the connection without an
 *     answer (the reference's {@code dataReq.destroy()}; the client sees a reset).</li>
 * </ul>
 * The implementation must not call back into the session from inside these methods.
 */
public interface PostResponder {
    /** Answer {@code 200 ok}. */
    void respondOk();

    /** Answer {@code status} with an empty body. */
    void respondStatus(int status);

    /** Destroy the request's connection without answering. */
    void abort();
}
