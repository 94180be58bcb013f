package dev.engineionio.session;

/**
 * A reusable read-only {@link CharSequence} over a range of a {@code char[]}, re-pointed with {@link #of}: the copied
 * text of a {@link WriteBuffer} and the decoded text message handed to view listeners. Valid until re-pointed, so
 * whoever gets one reads it before the next {@code of} (see where each is handed out).
 *
 * <p>Thread: the owner's (a loop's) only. Allocates nothing except in {@link #subSequence} and {@link #toString}.
 */
public final class CharView implements CharSequence {
    private char[] a = new char[0];
    private int from;
    private int length;

    /** Points this view at {@code a[from, from + length)} and returns it. */
    public CharView of(char[] a, int from, int length) {
        this.a = a;
        this.from = from;
        this.length = length;
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return a[from + index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    /** A {@code String} copy of the chars in view (allocates). */
    @Override
    public String toString() {
        return new String(a, from, length);
    }
}
