/**
 * The Engine.IO session layer, sans-I/O: sessions, their transports, heartbeats, the polling-to-WebSocket upgrade,
 * and the server-level request checks, behaving like the reference server engine.io 6.6.12. No sockets, no clock:
 * time comes in as {@code long nowNs} (the loop clock's nanoseconds, the one time unit inside), packets come in
 * decoded and go out as {@link dev.engineionio.session.WriteBuffer}es through output interfaces the driver implements.
 *
 * <h2>How the driver uses it</h2>
 * All calls for one session run on the session's owner loop. One {@link dev.engineionio.session.RequestVerifier},
 * {@link dev.engineionio.session.SessionRegistry} and {@link dev.engineionio.session.EngineConfig} per server; one
 * reusable {@link dev.engineionio.session.RequestFacts} and {@link dev.engineionio.session.RequestVerdict} per loop.
 * <pre>{@code
 * // every Engine.IO request (path already matched, query decoded)
 * switch (verifier.verify(facts, verdict)) {
 *   case ASK_ALLOW_REQUEST -> ... user hook ..., then verifier.afterAllowRequest(facts, ok, message, verdict)
 *   case HANDSHAKE -> {
 *     String id = idGenerator.generateId();          // throws -> verifier.rejectIdGeneration(facts, verdict)
 *     SessionTransport t = verdict.transportKind() == TransportKind.POLLING
 *         ? new PollingTransport(verdict.protocol(), facts.supportsBinary(),
 *                                facts.isJsonp() ? PollingTransport.jsonpIndex(facts.j) : null)
 *         : new WebSocketTransport(verdict.protocol(), facts.supportsBinary(), frameSinkOfTheConnection);
 *     EngineSession s = new EngineSession(id, config, listener, registry, t);
 *     s.open(now);                                   // registers, queues the open packet
 *     if (t instanceof PollingTransport p) p.onPollRequest(pollResponder, now);   // answers the handshake GET
 *   }
 *   case EXISTING_SESSION -> {                       // on the session's loop
 *     EngineSession s = verdict.session();
 *     if (facts.upgrade) s.onWebSocketUpgradeRequest(new WebSocketTransport(...), now);
 *     else if GET: ((PollingTransport) s.transport()).onPollRequest(pollResponder, now);
 *     else POST:   if (p.onPostRequest(postResponder, isOctetStream, now)) { read the body (limit:
 *                  config.maxHttpBufferSize() UTF-8 bytes, inclusive; over it p.onPostBodyTooLarge(r, now)),
 *                  decode it: p.onPostPacket(r, ...) per packet, p.onPostDecodeError(r, now) on a bad one,
 *                  then p.onPostEnd(r, now) }
 *   }
 *   case REJECT -> answer verdict.errorCode()'s status, body PacketEncoder.writeErrorBody(code, verdict.errorMessage()),
 *                  or for an Upgrade 400 text/html with verdict.errorMessage() (abortUpgrade)
 *   case CLOSE_WEBSOCKET -> complete the WebSocket handshake, then close it (close frame without status)
 *   case POLLING_METHOD_NOT_ALLOWED -> empty 500
 *   case UNANSWERED -> close the connection
 * }
 * // WebSocket input: ws.onPacket / onDecodeError / onWritable / onError / onClosed
 * // connection loss: p.onPollConnectionClosed(r, now), p.onPostConnectionClosed(r, now)
 * // timers: keep the session's single wheel entry at the deadline of the last SessionListener.onDeadline report
 * // (made after every change of its timers, whichever input caused it); when due: s.onTimer(now), then re-read
 * // s.nextDeadlineNs() (a wake-up before the deadline changes nothing, so nothing is reported)
 * }</pre>
 */
package dev.engineionio.session;
