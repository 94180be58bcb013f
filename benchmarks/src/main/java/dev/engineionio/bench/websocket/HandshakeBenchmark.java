package dev.engineionio.bench.websocket;

import dev.engineionio.websocket.WebSocketHandshake;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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

/**
 * A whole server handshake as the glue would run it from an HTTP parser's spans: reset, method, version, eight
 * header lines (as a browser sends them), validate with a subprotocol selector, SHA-1 + base64, write the 101.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HandshakeBenchmark {

    private static final String[][] HEADERS = {
        {"Host", "localhost:3000"},
        {"User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"},
        {"Sec-WebSocket-Version", "13"},
        {"Origin", "http://localhost:3000"},
        {"Sec-WebSocket-Extensions", "permessage-deflate"},
        {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
        {"Connection", "keep-alive, Upgrade"},
        {"Upgrade", "websocket"},
        {"Sec-WebSocket-Protocol", "mqtt, chat"},
    };

    private final WebSocketHandshake handshake = new WebSocketHandshake();
    private final WebSocketHandshake.SubprotocolSelector selector = WebSocketHandshake.SubprotocolSelector.of("chat");
    private ByteBuffer request;
    private int[] spans;
    private ByteBuffer out;

    @Setup
    public void setup() {
        StringBuilder sb = new StringBuilder("GETHTTP/1.1");
        spans = new int[HEADERS.length * 4];
        int at = sb.length();
        for (int i = 0; i < HEADERS.length; i++) {
            spans[4 * i] = at;
            spans[4 * i + 1] = HEADERS[i][0].length();
            at += HEADERS[i][0].length();
            spans[4 * i + 2] = at;
            spans[4 * i + 3] = HEADERS[i][1].length();
            at += HEADERS[i][1].length();
            sb.append(HEADERS[i][0]).append(HEADERS[i][1]);
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.US_ASCII);
        request = ByteBuffer.allocateDirect(bytes.length);
        request.put(bytes).flip();
        out = ByteBuffer.allocateDirect(512);
    }

    @Benchmark
    public int acceptHandshake() {
        WebSocketHandshake hs = handshake;
        ByteBuffer in = request;
        hs.reset();
        hs.method(in, 0, 3);
        hs.httpVersion(in, 3, 8);
        int[] s = spans;
        for (int i = 0; i < s.length; i += 4) {
            hs.header(in, s[i], s[i + 1], s[i + 2], s[i + 3]);
        }
        if (!hs.validate(selector).isAccepted()) {
            throw new IllegalStateException("rejected");
        }
        out.clear();
        return hs.writeResponse(out);
    }
}
