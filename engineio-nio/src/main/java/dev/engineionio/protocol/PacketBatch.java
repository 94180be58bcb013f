package dev.engineionio.protocol;

import java.nio.ByteBuffer;

/**
 * Read access to a sequence of outgoing packets, for {@link PacketEncoder}'s payload methods. The session layer
 * implements it over its own queue, so encoding a batch needs no list and no copy.
 *
 * <p>The encoder calls it on the caller's thread, only during the encode or measure call, and reads each packet
 * twice at most; the batch must not change in between a {@code measure} and the matching {@code encode}.
 */
public interface PacketBatch {
    /**
     * The number of packets.
     *
     * @return the count, at least 0
     */
    int count();

    /**
     * The type of packet {@code i}. Binary packets are {@link PacketType#MESSAGE} in practice.
     *
     * @param i the index, {@code 0 <= i < count()}
     * @return the type
     */
    PacketType type(int i);

    /**
     * Whether packet {@code i} carries binary data.
     *
     * @param i the index, {@code 0 <= i < count()}
     * @return true for binary data ({@link #binary}), false for text data ({@link #text})
     */
    boolean isBinary(int i);

    /**
     * The text data of packet {@code i}. Only called if not binary. The encoders read the returned text before they
     * call this method again, so an implementation may return one view that it re-points on every call.
     *
     * @param i the index, {@code 0 <= i < count()}
     * @return the text; {@code null} or empty for a packet without data
     */
    CharSequence text(int i);

    /**
     * The binary data of packet {@code i}: bytes {@code [position, limit)}, which the encoder reads with absolute
     * gets and does not move. Only called if binary.
     *
     * @param i the index, {@code 0 <= i < count()}
     * @return the data
     */
    ByteBuffer binary(int i);
}
