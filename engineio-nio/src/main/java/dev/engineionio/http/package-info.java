/**
 * HTTP/1.1 (internal, not exported): the request side of RFC 9112 as a sans-I/O parser, and the response side as a
 * writer into a caller's buffer. It owns the HTTP framing rules and their limits, and nothing above them: no channel,
 * no clock, no Engine.IO.
 *
 * <ul>
 * <li>{@link dev.engineionio.http.HttpRequestParser}: bytes in, one event out per call (head, body span, request end,
 *     upgrade with the leftover bytes, error), results as spans of the caller's buffer; one per connection.</li>
 * <li>{@link dev.engineionio.http.HttpResponseWriter}: status line, headers and body written straight into a
 *     {@code ByteBuffer}, all or nothing; {@link dev.engineionio.http.HttpStatus} its reason phrases.</li>
 * <li>{@link dev.engineionio.http.HttpLimits}: every limit of the parser with its default;
 *     {@link dev.engineionio.http.HttpError}: every reason a request is rejected, one constant per cause, each with the
 *     status to answer.</li>
 * <li>{@link dev.engineionio.http.HttpQuery}, {@link dev.engineionio.http.QueryParam}: the query string, read without
 *     allocation; {@link dev.engineionio.http.KnownHeader}, {@link dev.engineionio.http.HttpMethod},
 *     {@link dev.engineionio.http.HttpBytes}: the header names, methods and character classes it recognises.</li>
 * </ul>
 *
 * <p>Who may call it: the parser, the writer and the query reader are used by the one event-loop thread that owns the
 * connection (the {@code server} layer); the enums and the stateless helpers by any thread. Nothing here imports
 * another package of the project ({@code LayeringTest} holds it to that).
 */
package dev.engineionio.http;
