package dev.engineionio.session;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference's default ids ({@code contrib/base64id.js}): 15 bytes, base64url-encoded into 20 characters
 * ({@code /} as {@code _}, {@code +} as {@code -}, no padding). The reference writes a big-endian 32-bit sequence
 * number at offset 11 and then copies 12 random bytes over offsets 0..11, so the id is 12 random bytes followed by
 * the low 24 bits of the sequence: consecutive ids end in {@code AAAA}, {@code AAAB}, ... This class does the same
 * with {@link SecureRandom} (96 random bits per id).
 *
 * <p>Thread-safe: the sequence is atomic and {@link SecureRandom} is thread-safe.
 */
public final class Base64IdGenerator implements SessionIdGenerator {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private final SecureRandom random;
    private final AtomicInteger sequence;

    /** With a new {@link SecureRandom} and the sequence starting at 0, as the reference. */
    public Base64IdGenerator() {
        this(new SecureRandom(), 0);
    }

    /** With the given random source and first sequence number (tests). */
    public Base64IdGenerator(SecureRandom random, int firstSequence) {
        this.random = random;
        this.sequence = new AtomicInteger(firstSequence);
    }

    @Override
    public String generateId() {
        byte[] b = new byte[15];
        random.nextBytes(b); // bytes 12..14 are overwritten below
        int seq = sequence.getAndIncrement();
        b[12] = (byte) (seq >>> 16);
        b[13] = (byte) (seq >>> 8);
        b[14] = (byte) seq;
        char[] out = new char[20];
        for (int i = 0, o = 0; i < 15; i += 3) {
            int v = (b[i] & 0xff) << 16 | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff);
            out[o++] = ALPHABET[v >>> 18];
            out[o++] = ALPHABET[(v >>> 12) & 63];
            out[o++] = ALPHABET[(v >>> 6) & 63];
            out[o++] = ALPHABET[v & 63];
        }
        return new String(out);
    }
}
