package dev.engineionio.bench.session;

import dev.engineionio.protocol.PacketType;
import dev.engineionio.session.EngineConfig;
import dev.engineionio.session.EngineSession;
import dev.engineionio.session.FrameSink;
import dev.engineionio.session.WriteBuffer;
import dev.engineionio.session.PollResponder;
import dev.engineionio.session.PollingTransport;
import dev.engineionio.session.SessionListener;
import dev.engineionio.session.SessionRegistry;
import dev.engineionio.session.WebSocketTransport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The session layer's per-message paths, with no-op output interfaces, to show they allocate nothing in steady
 * state: a WebSocket echo (packet in, listener sends, frames out, send callback), a polling round trip (message
 * queued, GET answered with the batch) and a v4 heartbeat cycle over WebSocket (PING timer, frame, PONG).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SessionBenchmark {
    private static final String TEXT = "hello world";

    private long now;
    private int consumed;

    private EngineSession wsSession;
    private WebSocketTransport ws;
    private EngineSession pollSession;
    private PollingTransport polling;
    private EngineSession beatSession;
    private WebSocketTransport beatWs;

    private final FrameSink sink = new FrameSink() {
        @Override
        public void send(WriteBuffer batch) {
            for (int i = 0; i < batch.count(); i++) {
                consumed += batch.type(i).code();
            }
        }

        @Override
        public void close() {
            throw new IllegalStateException("closed");
        }
    };

    private final PollResponder responder = new PollResponder() {
        @Override
        public void respond(WriteBuffer batch) {
            consumed += batch.count();
        }

        @Override
        public void respondStatus(int status) {
            throw new IllegalStateException("status " + status);
        }
    };

    private final SessionListener echo = new SessionListener() {
        @Override
        public void onMessage(EngineSession s, CharSequence text) {
            s.send(text, true, now);
        }
    };

    @Setup
    public void setUp() {
        EngineConfig config = EngineConfig.builder().pingInterval(Duration.ofMillis(1)).pingTimeout(Duration.ofDays(11))
                .build();
        SessionRegistry registry = new SessionRegistry();
        ws = new WebSocketTransport(4, true, sink);
        wsSession = new EngineSession("ws", EngineConfig.builder().pingInterval(Duration.ofDays(11)).build(), echo,
                registry, ws);
        wsSession.open(0);
        ws.onWritable(0);

        polling = new PollingTransport(4, true, null);
        pollSession = new EngineSession("poll", EngineConfig.builder().pingInterval(Duration.ofDays(11)).build(), echo,
                registry, polling);
        pollSession.open(0);
        polling.onPollRequest(responder, 0);

        beatWs = new WebSocketTransport(4, true, sink);
        beatSession = new EngineSession("beat", config, new SessionListener() { }, registry, beatWs);
        beatSession.open(0);
        beatWs.onWritable(0);
    }

    @Benchmark
    public int webSocketEcho() {
        long t = ++now;
        ws.onPacket(PacketType.MESSAGE, TEXT, null, t);
        ws.onWritable(t);
        return consumed;
    }

    @Benchmark
    public int pollingRoundTrip() {
        long t = ++now;
        pollSession.send(TEXT, true, t);
        polling.onPollRequest(responder, t);
        return consumed;
    }

    @Benchmark
    public int heartbeatCycle() {
        now += 2;
        beatSession.onTimer(now);
        beatWs.onWritable(now);
        beatWs.onPacket(PacketType.PONG, "", null, now);
        return consumed;
    }
}
