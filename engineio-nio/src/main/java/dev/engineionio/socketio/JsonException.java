package dev.engineionio.socketio;

/**
 * A JSON text that {@link Json#parse} refused, or a value that {@link Json#write} cannot represent.
 *
 * <p>The message is fixed text naming the cause and the offset (safe to log or send); {@link #offset()} is the index
 * of the character at fault in the input (-1 for a write error).
 */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The cause of a parse error, one constant per rule of RFC 8259 or limit. */
    public enum Reason {
        /** The input ended inside a value. */
        UNEXPECTED_END("unexpected end of input"),
        /** A character that cannot start or continue a value here. */
        UNEXPECTED_CHARACTER("unexpected character"),
        /** Something other than whitespace after the value. */
        TRAILING_CHARACTERS("unexpected character after the value"),
        /** A number not matching {@code -? int frac? exp?} (RFC 8259 section 6). */
        INVALID_NUMBER("invalid number"),
        /** A control character (below U+0020) unescaped in a string (section 7). */
        CONTROL_CHARACTER_IN_STRING("unescaped control character in string"),
        /** A backslash followed by something other than {@code " \ / b f n r t u} (section 7). */
        INVALID_ESCAPE("invalid escape"),
        /** {@code \\u} not followed by four hexadecimal digits. */
        INVALID_UNICODE_ESCAPE("invalid unicode escape"),
        /** Nesting deeper than the parser's {@code maxDepth}. */
        TOO_DEEP("nesting too deep"),
        /** Input longer than the parser's {@code maxLength}. */
        TOO_LONG("input too long"),
        /** {@link Json#write}: a value of a type JSON has no form for. */
        UNSUPPORTED_VALUE("unsupported value");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        /**
         * The fixed description.
         *
         * @return the text
         */
        public String text() {
            return text;
        }
    }

    /** The cause. */
    private final Reason reason;
    /** The index of the offending character, or -1. */
    private final int offset;

    JsonException(Reason reason, int offset, String detail) {
        super(reason.text + (offset >= 0 ? " at offset " + offset : "") + (detail == null ? "" : ": " + detail),
                null, false, false); // an answer to input: no stack trace
        this.reason = reason;
        this.offset = offset;
    }

    /**
     * The cause.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * The index of the offending character in the input, or -1 for a write error.
     *
     * @return the offset
     */
    public int offset() {
        return offset;
    }
}
