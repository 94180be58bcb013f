package dev.engineionio.protocol;

import java.nio.ByteBuffer;

/**
 * Receives the packets a {@link PayloadDecoder} finds, in input order, on the thread that called the decoder.
 *
 * <p><b>Spans.</b> A packet's data is the span {@code [offset, offset + length)} of {@code buf}, in absolute indices.
 * {@code buf} is either the caller's input buffer (text data: UTF-8 bytes; raw binary data) or a buffer owned by the
 * decoder (base64-decoded binary data, JSONP form data). The span is valid only during the call: copy what must be
 * kept. The handler must not change {@code buf}'s position, limit or content. Use
 * {@link PayloadDecoder#string(ByteBuffer, int, int)} to make the {@code String} of a text span.
 *
 * <p>Text data may hold malformed UTF-8 when the decoder is lenient (as the reference, which replaces it with
 * U+FFFD): {@code PayloadDecoder.string} makes the same replacement.
 *
 * <p>Keep the handler in a field: a lambda captured per call allocates.
 */
@FunctionalInterface
public interface PacketHandler {
    /**
     * One packet.
     *
     * @param type   the packet type; always {@link PacketType#MESSAGE} for binary data in v4
     * @param binary true if the data is binary (a {@code Buffer} in the reference), false if text
     * @param buf    the buffer holding the data
     * @param offset absolute index of the first data byte
     * @param length number of data bytes (0 for a packet without data, e.g. {@code "2"} or {@code "4"})
     * @return true to go on, false to stop decoding (the decoder then returns {@link DecodeStatus#STOPPED})
     */
    boolean onPacket(PacketType type, boolean binary, ByteBuffer buf, int offset, int length);
}
