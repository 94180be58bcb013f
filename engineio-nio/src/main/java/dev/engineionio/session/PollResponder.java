package dev.engineionio.session;

/**
 * The answer to one held polling GET, implemented by the driver glue. One instance per GET request.
 *
 * <p>The session calls exactly one method, once, on the session's loop thread:
 * <ul>
 * <li>{@link #respond(WriteBuffer)}: {@code 200} with the batch encoded as one payload (v4 {@code \x1e}-joined,
 *     v3 length-prefixed or binary, JSONP-wrapped when {@link PollingTransport#isJsonp()}; base64 binary when not
 *     {@link PollingTransport#supportsBinary()}), {@code Content-Type}, {@code Content-Length},
 *     {@code cache-control: no-store}, compression per {@link WriteBuffer#anyCompress()} and the configured threshold;</li>
 * <li>{@link #respondStatus(int)}: an empty-bodied status ({@code 400} for an overlapping GET).</li>
 * </ul>
 *
 * <p>The implementation must encode or copy the batch before returning and must not call back into the session
 * from inside these methods. If the request's connection is already gone it drops the answer silently.
 */
public interface PollResponder {
    /** Answer {@code 200} with {@code batch} as the payload. */
    void respond(WriteBuffer batch);

    /** Answer {@code status} with an empty body. */
    void respondStatus(int status);
}
