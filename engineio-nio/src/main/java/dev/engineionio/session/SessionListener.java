package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;

import java.nio.ByteBuffer;

/**
 * The events of an {@link EngineSession}, the reference's {@code Socket} events ({@code socket.js}) in the same
 * order. One listener may serve many sessions (each call names its session), so the public API layer needs no
 * per-session lambda. Every method has an empty default.
 *
 * <p>Called on the session's loop thread, synchronously from the input or timer that caused the event. A listener
 * may call back into the session ({@code send}, {@code close}); long work stalls the loop. Arguments that are
 * {@link CharSequence} or {@link ByteBuffer} are valid for the duration of the call only; a {@link WriteBuffer}
 * must not be kept or changed.
 */
public interface SessionListener {
    /** The session opened: the open packet (and the initial packet) are queued. Fires before the first flush. */
    default void onOpen(EngineSession session) {
    }

    /** A packet arrived on the current transport (before it is acted on). Not fired for decode errors. */
    default void onPacket(EngineSession session, PacketType type, CharSequence text, ByteBuffer binary) {
    }

    /** A packet is about to be queued; {@code payload} is {@code null}, a {@link CharSequence} or a {@link ByteBuffer}. */
    default void onPacketCreate(EngineSession session, PacketType type, Object payload) {
    }

    /** A heartbeat: a PONG in v4, a PING in v3. */
    default void onHeartbeat(EngineSession session) {
    }

    /** A text message. */
    default void onMessage(EngineSession session, CharSequence text) {
    }

    /** A binary message (read between position and limit). */
    default void onBinaryMessage(EngineSession session, ByteBuffer data) {
    }

    /** The probe transport answered {@code 3probe}. */
    default void onUpgrading(EngineSession session, TransportKind to) {
    }

    /** The session switched to {@code to}. */
    default void onUpgrade(EngineSession session, TransportKind to) {
    }

    /** The write buffer is about to be handed to the transport. */
    default void onFlush(EngineSession session, WriteBuffer writeBuffer) {
    }

    /** The write buffer was handed to the transport (the reference emits it right after {@code transport.send}). */
    default void onDrain(EngineSession session) {
    }

    /**
     * The session's earliest deadline may have changed: it is now {@code deadlineNs}
     * ({@link EngineSession#nextDeadlineNs()}; {@link EngineSession#NO_DEADLINE} when none, and once closed). Called
     * after every change of the session's timers, whatever input caused it, so a driver that follows these reports
     * never holds a stale deadline. Called mid-input: the listener must not call back into the session.
     */
    default void onDeadline(EngineSession session, long deadlineNs) {
    }

    /**
     * The session closed; fired once, after the session left the registry.
     *
     * @param description detail of a {@link CloseReason#TRANSPORT_ERROR} (e.g. {@code "overlap from client"}), else
     *                    {@code null}
     */
    default void onClose(EngineSession session, CloseReason reason, String description) {
    }
}
