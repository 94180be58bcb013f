package dev.engineionio.socketio;

/**
 * The acknowledgement an event listener may send back (the reference's trailing callback argument).
 *
 * <p>Only the first call sends (as the reference); later ones are ignored. Any thread.
 */
public interface Ack {

    /**
     * Whether the client asked for an acknowledgement (its packet had an id). When it did not, {@link #send} does
     * nothing.
     *
     * @return true if the client waits for an acknowledgement
     */
    boolean isRequested();

    /**
     * Sends the acknowledgement with these arguments (values of the {@link Json} model; {@code byte[]} as binary).
     *
     * @param args the arguments
     */
    void send(Object... args);
}
