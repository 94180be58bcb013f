package dev.engineionio;

import dev.engineionio.websocket.PerMessageDeflateConfig;

/**
 * WebSocket compression (RFC 7692 permessage-deflate) settings: the reference's {@code perMessageDeflate} option,
 * which engine.io 6.6 hands to npm ws. Off unless given to {@link EngineServer.Builder#perMessageDeflate} (the
 * Engine.IO WebSocket transport) or {@link EngineServer.Builder#webSocketPerMessageDeflate} (raw endpoints).
 * Immutable; any thread.
 *
 * <table>
 *   <caption>Settings, defaults and what they do</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code threshold}</td><td>1024 bytes</td><td>with {@code server_no_context_takeover} agreed, smaller
 *       messages go uncompressed; with the server's context kept (the default) every message is compressed, as ws
 *       does</td></tr>
 *   <tr><td>{@code serverNoContextTakeover}</td><td>unset: accepted when the client asks</td><td>true: always reset
 *       the server's compressor after each message (it is then borrowed from the loop per message: no per-connection
 *       zlib memory on the sending side); false: decline offers asking for it</td></tr>
 *   <tr><td>{@code clientNoContextTakeover}</td><td>unset: accepted when the client offers it</td><td>true: always
 *       ask the client to reset its compressor (the server's decompressor is then borrowed per message)</td></tr>
 *   <tr><td>{@code serverMaxWindowBits}</td><td>unset</td><td>15 or false only: the JDK compresses with a 32 KiB
 *       window, so an offer asking for a smaller server window is declined (the next offer is tried)</td></tr>
 *   <tr><td>{@code clientMaxWindowBits}</td><td>unset</td><td>8..15: require and answer that client window; false:
 *       never ask one</td></tr>
 * </table>
 * Memory: with context takeover (the default) each compressing connection owns a zlib deflate stream (about 256 KiB of
 * native memory) and an inflate stream (about 40 KiB), made at first use and freed when the connection closes; with
 * {@code serverNoContextTakeover(true)} and {@code clientNoContextTakeover(true)} an idle connection holds none.
 * Incoming compressed messages are limited by their inflated size ({@code maxHttpBufferSize} on the Engine.IO
 * transport, {@code webSocketMaxMessageSize} on raw endpoints: close 1009).
 */
public final class PerMessageDeflate {

    /** ws's {@code perMessageDeflate: true} with engine.io's threshold 1024. */
    public static final PerMessageDeflate DEFAULTS = builder().build();

    final PerMessageDeflateConfig config;

    private PerMessageDeflate(PerMessageDeflateConfig config) {
        this.config = config;
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return config.toString();
    }

    /** Builds {@link PerMessageDeflate} settings; not thread-safe. */
    public static final class Builder {
        private int threshold = PerMessageDeflateConfig.DEFAULT_THRESHOLD;
        private Boolean serverNoContextTakeover;
        private Boolean clientNoContextTakeover;
        private int serverMaxWindowBits = PerMessageDeflateConfig.WINDOW_UNSET;
        private int clientMaxWindowBits = PerMessageDeflateConfig.WINDOW_UNSET;

        private Builder() {
        }

        /**
         * {@code threshold} (default 1024; 0 compresses every message).
         *
         * @param bytes at least 0
         * @return this builder
         */
        public Builder threshold(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("threshold " + bytes);
            }
            threshold = bytes;
            return this;
        }

        /**
         * {@code serverNoContextTakeover}.
         *
         * @param v true: always reset the server's context per message; false: decline offers asking for it
         * @return this builder
         */
        public Builder serverNoContextTakeover(boolean v) {
            serverNoContextTakeover = v;
            return this;
        }

        /**
         * {@code clientNoContextTakeover}.
         *
         * @param v true: ask every client to reset its context per message
         * @return this builder
         */
        public Builder clientNoContextTakeover(boolean v) {
            clientNoContextTakeover = v;
            return this;
        }

        /**
         * {@code serverMaxWindowBits}: only 15 (answer {@code server_max_window_bits=15}).
         *
         * @param bits 15
         * @return this builder
         * @throws IllegalArgumentException for any other value: the JDK's Deflater has a 15-bit window only
         */
        public Builder serverMaxWindowBits(int bits) {
            if (bits != 15) {
                throw new IllegalArgumentException("serverMaxWindowBits " + bits
                        + ": the JDK's Deflater compresses with a 15-bit window only");
            }
            serverMaxWindowBits = bits;
            return this;
        }

        /**
         * {@code serverMaxWindowBits: false}: decline offers carrying {@code server_max_window_bits}.
         *
         * @return this builder
         */
        public Builder declineServerMaxWindowBits() {
            serverMaxWindowBits = PerMessageDeflateConfig.WINDOW_DECLINE;
            return this;
        }

        /**
         * {@code clientMaxWindowBits}: require the client to use at most that window.
         *
         * @param bits 8..15
         * @return this builder
         */
        public Builder clientMaxWindowBits(int bits) {
            if (bits < 8 || bits > 15) {
                throw new IllegalArgumentException("clientMaxWindowBits " + bits + " (8..15)");
            }
            clientMaxWindowBits = bits;
            return this;
        }

        /**
         * {@code clientMaxWindowBits: false}: never answer {@code client_max_window_bits}.
         *
         * @return this builder
         */
        public Builder declineClientMaxWindowBits() {
            clientMaxWindowBits = PerMessageDeflateConfig.WINDOW_DECLINE;
            return this;
        }

        /**
         * The settings.
         *
         * @return immutable settings
         */
        public PerMessageDeflate build() {
            return new PerMessageDeflate(new PerMessageDeflateConfig(threshold, serverNoContextTakeover,
                    clientNoContextTakeover, serverMaxWindowBits, clientMaxWindowBits));
        }
    }
}
