package dev.engineionio.bench.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Command-line options of {@link LoadMain}, with per-scenario defaults (issue 7): {@code ws} 100 sessions x 16 in
 * flight x 64 B, {@code polling} 50 sessions x 5 B ({@code hello}), {@code handshake} 50 loops, {@code idle} 10,000
 * sessions held 30 s; warm-up 3 s and window 10 s for the first three. Every option is bounded (see {@link #parse}).
 *
 * <p>Thread: built on the main thread, then read-only.
 */
final class LoadOptions {

    String scenario;
    String url = "http://127.0.0.1:3000/engine.io/";
    String host;
    int port;
    String path;
    String hostHeader;
    int sessions = -1;
    int inflight = 16;
    int size = -1;
    double warmupS = 3;
    double durationS = -1;
    double timeoutS = 30;
    long serverPid = -1;
    boolean jvmHeap;
    /** idle: count the server's messages (a broadcast's deliveries) instead of failing on them. */
    boolean sink;
    /** Speak Socket.IO on top of Engine.IO: namespace connect first, messages are {@code echo} events. */
    boolean socketIo;
    int threads = 1;
    int connectConcurrency = 200;
    String label = "";

    static final String USAGE = """
            usage: LoadMain <ws|polling|handshake|idle> [--url http://127.0.0.1:3000/engine.io/]
                   [--sessions N] [--inflight N] [--size BYTES] [--warmup S] [--duration S] [--threads N]
                   [--timeout S] [--server-pid PID] [--jvm-heap] [--connect-concurrency N] [--label TEXT]
                   [--socketio] [--sink]
              ws         N WebSocket sessions (100), each keeping --inflight (16) messages of --size (64) B in flight
              polling    N polling sessions (50) looping POST 4<message> (--size 5: hello) then GET
              handshake  N concurrent loops (50) of connect, WebSocket upgrade, open packet, close handshake
              idle       N WebSocket sessions (10000) held --duration (30) s answering pings; with --server-pid
                         reports the server's VmRSS per session, with --jvm-heap also its heap (jcmd GC.run, GC.heap_info)
              --socketio for Socket.IO-only servers (netty-socketio): after the Engine.IO open packet each session
                         connects to namespace / (40, waits for 40{...}), and the message is the event 42["echo","..."]
                         (--size bytes of text inside it); handshake and idle count a session at the connect ack
              --sink     idle only: every message the server sends (e.g. a room broadcast) is counted as a delivery
                         instead of failing the run; reports deliveries and deliveries/s from the first to the last one
            Loopback only: the URL host must be 127.0.0.1, ::1 or localhost. Prints one JSON line, then a human line.""";

    static LoadOptions parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("no scenario");
        }
        LoadOptions o = new LoadOptions();
        o.scenario = args[0];
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--sink")) {
                o.sink = true;
                continue;
            }
            if (a.equals("--jvm-heap")) {
                o.jvmHeap = true;
                continue;
            }
            if (a.equals("--socketio")) {
                o.socketIo = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--url" -> o.url = v;
                case "--sessions" -> o.sessions = bounded(a, v, 1, 20_000);
                case "--inflight" -> o.inflight = bounded(a, v, 1, 1024);
                case "--size" -> o.size = bounded(a, v, 1, 1 << 20);
                case "--warmup" -> o.warmupS = boundedSeconds(a, v, 0, 600);
                case "--duration" -> o.durationS = boundedSeconds(a, v, 0.1, 3600);
                case "--timeout" -> o.timeoutS = boundedSeconds(a, v, 1, 600);
                case "--threads" -> o.threads = bounded(a, v, 1, 64);
                case "--server-pid" -> o.serverPid = Long.parseLong(v);
                case "--connect-concurrency" -> o.connectConcurrency = bounded(a, v, 1, 10_000);
                case "--label" -> o.label = v;
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        switch (o.scenario) {
            case "ws" -> o.defaults(100, 64, 10);
            case "polling" -> o.defaults(50, 5, 10);
            case "handshake" -> o.defaults(50, 1, 10);
            case "idle" -> {
                o.defaults(10_000, 1, 30);
                o.threads = 1;
                o.warmupS = 0;
            }
            default -> throw new IllegalArgumentException("unknown scenario " + o.scenario);
        }
        if (o.threads > o.sessions) {
            o.threads = o.sessions;
        }
        URI uri = URI.create(o.url);
        if (!"http".equals(uri.getScheme())) {
            throw new IllegalArgumentException("only http:// URLs (ws upgrades from them): " + o.url);
        }
        o.host = uri.getHost();
        if (!(o.host.equals("127.0.0.1") || o.host.equals("[::1]") || o.host.equals("::1")
                || o.host.equals("localhost"))) {
            throw new IllegalArgumentException("loopback only: " + o.host);
        }
        if (o.host.startsWith("[")) {
            o.host = o.host.substring(1, o.host.length() - 1);
        }
        o.port = uri.getPort() < 0 ? 80 : uri.getPort();
        o.path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/engine.io/" : uri.getRawPath();
        o.hostHeader = uri.getRawAuthority();
        return o;
    }

    private void defaults(int sessions, int size, double durationS) {
        if (this.sessions < 0) {
            this.sessions = sessions;
        }
        if (this.size < 0) {
            this.size = size;
        }
        if (this.durationS < 0) {
            this.durationS = durationS;
        }
    }

    private static int bounded(String name, String value, int min, int max) {
        int n = Integer.parseInt(value);
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
        return n;
    }

    private static double boundedSeconds(String name, String value, double min, double max) {
        double n = Double.parseDouble(value);
        if (!(n >= min && n <= max)) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "] s: " + value);
        }
        return n;
    }

    /**
     * The Engine.IO message data each echo session sends (without the packet type {@code 4}): {@link #message} of
     * {@code --size} bytes, wrapped as the Socket.IO event {@code 2["echo","..."]} with {@code --socketio}.
     */
    byte[] echoData() {
        byte[] m = message(size);
        return socketIo ? SocketIo.echoEvent(m) : m;
    }

    /** The message text of {@code size} bytes: {@code hello} repeated and cut ({@code hello} itself for 5). */
    static byte[] message(int size) {
        byte[] hello = "hello".getBytes(StandardCharsets.ISO_8859_1);
        byte[] m = new byte[size];
        for (int i = 0; i < size; i++) {
            m[i] = hello[i % hello.length];
        }
        return m;
    }
}
