package dev.engineionio.driver;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Immutable settings of an {@link NioDriver}. Built with {@link #builder()}; every limit is named here with its
 * default, and {@link Builder#build()} rejects nonsense with {@link IllegalArgumentException}.
 *
 * <table>
 * <caption>Limits and defaults</caption>
 * <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code loops}</td><td>available processors</td><td>event-loop threads</td></tr>
 * <tr><td>{@code listen}</td><td>none (required)</td><td>addresses to bind; several allowed (e.g. 127.0.0.1 and
 * ::1); port 0 picks a free port, see {@link NioDriver#boundAddresses()}</td></tr>
 * <tr><td>{@code listenTls}</td><td>none</td><td>addresses to bind with TLS: each accepted connection gets a
 * server-mode engine from the address's factory (see {@link Connection#isTls()}); mixed freely with plain ones</td></tr>
 * <tr><td>{@code tlsHandshakeTimeout}</td><td>10 s</td><td>time a TLS connection has from accept to the end of its
 * handshake; then it is closed ({@link CloseCause#IO_ERROR} with an {@code SSLHandshakeException})</td></tr>
 * <tr><td>{@code backlog}</td><td>1024</td><td>accept queue per listen socket</td></tr>
 * <tr><td>{@code maxConnections}</td><td>10,000</td><td>open connections over all loops; at it a new connection takes
 * the place of the oldest one not yet {@link Connection#markServed() served} ({@link CloseCause#EVICTED}), or, when
 * every open connection is served, is accepted and closed at once (the peer sees EOF/reset quickly instead of hanging
 * in the backlog); see {@link NioDriver}</td></tr>
 * <tr><td>{@code readBufferSize}</td><td>64 KiB</td><td>the one direct read buffer of each loop</td></tr>
 * <tr><td>{@code chunkSize}</td><td>16 KiB</td><td>pooled direct buffers for retained input and output</td></tr>
 * <tr><td>{@code maxPooledChunks}</td><td>256</td><td>idle chunks kept per loop (4 MiB at the default)</td></tr>
 * <tr><td>{@code maxRetainedBytes}</td><td>1 MiB + 64 KiB</td><td>unconsumed input a handler may leave on one
 * connection; more closes it with {@link CloseCause#RETAINED_LIMIT}. Covers one 1 MB Engine.IO message plus
 * framing; an upper layer with larger messages raises it</td></tr>
 * <tr><td>{@code writeHighWaterBytes}</td><td>64 KiB</td><td>queued output above which {@link
 * Connection#isWritable()} turns false</td></tr>
 * <tr><td>{@code writeLowWaterBytes}</td><td>32 KiB</td><td>queued output at or below which it turns true again,
 * with {@link ConnectionHandler#onWritable}</td></tr>
 * <tr><td>{@code writeHardLimitBytes}</td><td>16 MiB</td><td>queued output above which the connection is closed
 * ({@link CloseCause#OUTPUT_LIMIT}): a peer that never reads cannot grow the heap without bound</td></tr>
 * <tr><td>{@code lingerTimeout}</td><td>5 s</td><td>time {@link Connection#closeAfterFlush()} may take</td></tr>
 * <tr><td>{@code shutdownGrace}</td><td>5 s</td><td>time connections get to close at {@link NioDriver#close()}
 * (measured on the driver clock by the loops, and on the wall clock by the caller of close as a bound)</td></tr>
 * <tr><td>{@code commandsPerPass}</td><td>4096</td><td>cross-thread commands run per loop pass</td></tr>
 * <tr><td>{@code timersPerPass}</td><td>4096</td><td>deadline expiries handled per loop pass</td></tr>
 * <tr><td>{@code timerTickNs}</td><td>2<sup>20</sup> ns (≈1.05 ms)</td><td>timer wheel resolution</td></tr>
 * <tr><td>{@code timerTicksPerWheel}</td><td>4096</td><td>timer wheel slots (≈4.3 s per turn)</td></tr>
 * <tr><td>{@code clock}</td><td>{@link NanoClock#SYSTEM}</td><td>time source (fake in tests)</td></tr>
 * </table>
 *
 * <p>Thread-safety: immutable once built; the builder is single-threaded.
 */
public final class DriverConfig {

    private final List<InetSocketAddress> listen;
    /** Per listen address (same index): its TLS engine factory, or null for plain. */
    private final List<java.util.function.Supplier<javax.net.ssl.SSLEngine>> listenTls;
    private final long tlsHandshakeTimeoutNs;
    private final int loops;
    private final int backlog;
    private final int maxConnections;
    private final int readBufferSize;
    private final int chunkSize;
    private final int maxPooledChunks;
    private final int maxRetainedBytes;
    private final long writeHighWaterBytes;
    private final long writeLowWaterBytes;
    private final long writeHardLimitBytes;
    private final long lingerTimeoutNs;
    private final long shutdownGraceNs;
    private final int commandsPerPass;
    private final int timersPerPass;
    private final long timerTickNs;
    private final int timerTicksPerWheel;
    private final NanoClock clock;
    private final String threadNamePrefix;

    private DriverConfig(Builder b) {
        this.listen = List.copyOf(b.listen);
        this.listenTls = java.util.Collections.unmodifiableList(new ArrayList<>(b.listenTls));
        this.tlsHandshakeTimeoutNs = b.tlsHandshakeTimeoutNs;
        this.loops = b.loops;
        this.backlog = b.backlog;
        this.maxConnections = b.maxConnections;
        this.readBufferSize = b.readBufferSize;
        this.chunkSize = b.chunkSize;
        this.maxPooledChunks = b.maxPooledChunks;
        this.maxRetainedBytes = b.maxRetainedBytes;
        this.writeHighWaterBytes = b.writeHighWaterBytes;
        this.writeLowWaterBytes = b.writeLowWaterBytes;
        this.writeHardLimitBytes = b.writeHardLimitBytes;
        this.lingerTimeoutNs = b.lingerTimeoutNs;
        this.shutdownGraceNs = b.shutdownGraceNs;
        this.commandsPerPass = b.commandsPerPass;
        this.timersPerPass = b.timersPerPass;
        this.timerTickNs = b.timerTickNs;
        this.timerTicksPerWheel = b.timerTicksPerWheel;
        this.clock = b.clock;
        this.threadNamePrefix = b.threadNamePrefix;
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    public List<InetSocketAddress> listen() {
        return listen;
    }

    /** Per listen address, in the order of {@link #listen()}: its TLS engine factory, or null for a plain one. */
    public List<java.util.function.Supplier<javax.net.ssl.SSLEngine>> listenTls() {
        return listenTls;
    }

    public long tlsHandshakeTimeoutNs() {
        return tlsHandshakeTimeoutNs;
    }

    public int loops() {
        return loops;
    }

    public int backlog() {
        return backlog;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int readBufferSize() {
        return readBufferSize;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int maxPooledChunks() {
        return maxPooledChunks;
    }

    public int maxRetainedBytes() {
        return maxRetainedBytes;
    }

    public long writeHighWaterBytes() {
        return writeHighWaterBytes;
    }

    public long writeLowWaterBytes() {
        return writeLowWaterBytes;
    }

    public long writeHardLimitBytes() {
        return writeHardLimitBytes;
    }

    public long lingerTimeoutNs() {
        return lingerTimeoutNs;
    }

    public long shutdownGraceNs() {
        return shutdownGraceNs;
    }

    public int commandsPerPass() {
        return commandsPerPass;
    }

    public int timersPerPass() {
        return timersPerPass;
    }

    public long timerTickNs() {
        return timerTickNs;
    }

    public int timerTicksPerWheel() {
        return timerTicksPerWheel;
    }

    public NanoClock clock() {
        return clock;
    }

    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    /** Mutable, single-threaded builder of a {@link DriverConfig}. */
    public static final class Builder {
        private final List<InetSocketAddress> listen = new ArrayList<>();
        private final List<java.util.function.Supplier<javax.net.ssl.SSLEngine>> listenTls = new ArrayList<>();
        private long tlsHandshakeTimeoutNs = Duration.ofSeconds(10).toNanos();
        private int loops = Runtime.getRuntime().availableProcessors();
        private int backlog = 1024;
        private int maxConnections = 10_000;
        private int readBufferSize = 64 * 1024;
        private int chunkSize = 16 * 1024;
        private int maxPooledChunks = 256;
        private int maxRetainedBytes = 1024 * 1024 + 64 * 1024;
        private long writeHighWaterBytes = 64 * 1024;
        private long writeLowWaterBytes = 32 * 1024;
        private long writeHardLimitBytes = 16L * 1024 * 1024;
        private long lingerTimeoutNs = Duration.ofSeconds(5).toNanos();
        private long shutdownGraceNs = Duration.ofSeconds(5).toNanos();
        private int commandsPerPass = 4096;
        private int timersPerPass = 4096;
        private long timerTickNs = 1L << 20;
        private int timerTicksPerWheel = 4096;
        private NanoClock clock = NanoClock.SYSTEM;
        private String threadNamePrefix = "engineio-nio-loop-";

        private Builder() {
        }

        /** Adds a listen address (call once per address). */
        public Builder listen(InetSocketAddress address) {
            listen.add(java.util.Objects.requireNonNull(address, "address"));
            listenTls.add(null);
            return this;
        }

        /**
         * Adds a TLS listen address: {@code engines} makes one server-mode engine per accepted connection (called on
         * the connection's loop; a factory that picks up a new certificate reloads it for new connections).
         */
        public Builder listenTls(InetSocketAddress address, java.util.function.Supplier<javax.net.ssl.SSLEngine> engines) {
            listen.add(java.util.Objects.requireNonNull(address, "address"));
            listenTls.add(java.util.Objects.requireNonNull(engines, "engines"));
            return this;
        }

        /** Time from accept to the end of a TLS handshake (default 10 s). */
        public Builder tlsHandshakeTimeout(Duration d) {
            this.tlsHandshakeTimeoutNs = d.toNanos();
            return this;
        }

        public Builder loops(int loops) {
            this.loops = loops;
            return this;
        }

        public Builder backlog(int backlog) {
            this.backlog = backlog;
            return this;
        }

        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        public Builder readBufferSize(int bytes) {
            this.readBufferSize = bytes;
            return this;
        }

        public Builder chunkSize(int bytes) {
            this.chunkSize = bytes;
            return this;
        }

        public Builder maxPooledChunks(int count) {
            this.maxPooledChunks = count;
            return this;
        }

        public Builder maxRetainedBytes(int bytes) {
            this.maxRetainedBytes = bytes;
            return this;
        }

        /** High- and low-water marks of queued output, {@code 0 <= low <= high}. */
        public Builder writeWaterMarks(long lowBytes, long highBytes) {
            this.writeLowWaterBytes = lowBytes;
            this.writeHighWaterBytes = highBytes;
            return this;
        }

        public Builder writeHardLimitBytes(long bytes) {
            this.writeHardLimitBytes = bytes;
            return this;
        }

        public Builder lingerTimeout(Duration d) {
            this.lingerTimeoutNs = d.toNanos();
            return this;
        }

        public Builder shutdownGrace(Duration d) {
            this.shutdownGraceNs = d.toNanos();
            return this;
        }

        public Builder commandsPerPass(int count) {
            this.commandsPerPass = count;
            return this;
        }

        public Builder timersPerPass(int count) {
            this.timersPerPass = count;
            return this;
        }

        /** Timer wheel geometry: tick (a power of two, ns) and slots (a power of two). */
        public Builder timerWheel(long tickNs, int ticksPerWheel) {
            this.timerTickNs = tickNs;
            this.timerTicksPerWheel = ticksPerWheel;
            return this;
        }

        public Builder clock(NanoClock clock) {
            this.clock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder threadNamePrefix(String prefix) {
            this.threadNamePrefix = java.util.Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Validates and builds. */
        public DriverConfig build() {
            require(!listen.isEmpty(), "at least one listen address");
            require(loops >= 1 && loops <= 1024, "loops in [1, 1024]: " + loops);
            require(backlog >= 1, "backlog >= 1: " + backlog);
            require(maxConnections >= 1, "maxConnections >= 1: " + maxConnections);
            require(readBufferSize >= 256, "readBufferSize >= 256: " + readBufferSize);
            require(readBufferSize >= 34 * 1024 || listenTls.stream().allMatch(java.util.Objects::isNull),
                    "readBufferSize >= 34 KiB with a TLS listener (two whole records): " + readBufferSize);
            require(tlsHandshakeTimeoutNs > 0, "tlsHandshakeTimeout > 0");
            require(chunkSize >= 64, "chunkSize >= 64: " + chunkSize);
            require(maxPooledChunks >= 0, "maxPooledChunks >= 0: " + maxPooledChunks);
            require(maxRetainedBytes >= 1 && maxRetainedBytes <= (1 << 30), "maxRetainedBytes in [1, 2^30]");
            require(writeLowWaterBytes >= 0 && writeLowWaterBytes <= writeHighWaterBytes,
                    "0 <= writeLowWater <= writeHighWater");
            require(writeHardLimitBytes >= writeHighWaterBytes, "writeHardLimit >= writeHighWater");
            require(lingerTimeoutNs > 0, "lingerTimeout > 0");
            require(shutdownGraceNs >= 0, "shutdownGrace >= 0");
            require(commandsPerPass >= 1, "commandsPerPass >= 1");
            require(timersPerPass >= 1, "timersPerPass >= 1");
            require(timerTickNs > 0 && Long.bitCount(timerTickNs) == 1, "timer tick a power of two");
            require(timerTicksPerWheel >= 2 && Integer.bitCount(timerTicksPerWheel) == 1, "timer slots a power of two");
            return new DriverConfig(this);
        }

        private static void require(boolean ok, String what) {
            if (!ok) {
                throw new IllegalArgumentException(what);
            }
        }
    }
}
