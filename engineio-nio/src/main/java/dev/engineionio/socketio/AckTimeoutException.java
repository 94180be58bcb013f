package dev.engineionio.socketio;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Not every acknowledgement came in time ({@code operation has timed out}, the reference's error): completes the
 * futures of {@link SocketIoSocket#emitWithAck} and {@link BroadcastOperator#emitWithAck} exceptionally.
 */
public final class AckTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    /** The responses that came in time (a broadcast's), in arrival order. */
    private final transient List<Object> responses;

    AckTimeoutException(List<Object> responses) {
        super("operation has timed out");
        this.responses = List.copyOf(responses);
    }

    /**
     * The responses that came in time: for a broadcast, the first argument of each client's acknowledgement, in
     * arrival order; empty for a single socket.
     *
     * @return an unmodifiable list
     */
    public List<Object> responses() {
        return responses;
    }
}
