package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fallback {@link HttpHandler}: requests outside the Engine.IO path, over raw loopback sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FallbackHandlerTest {

    private EngineServer server;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @BeforeEach
    void start() throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).maxRequestBodySize(10)
                .httpHandler((req, res) -> {
                    switch (req.path()) {
                        case "/hello":
                            res.header("Content-Type", "text/plain; charset=UTF-8").send("hi " + req.query());
                            break;
                        case "/echo":
                            res.send(req.body());
                            break;
                        case "/throw":
                            throw new IllegalStateException("handler failure (test)");
                        default:
                            res.status(404).send("nope");
                    }
                }).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersKeepAliveRequestsHeadBodiesAndErrors() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get("/hello?a=1");
            assertEquals(200, r.status);
            assertEquals("hi a=1", r.text());
        }
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.request("HEAD", "/hello", null) + RawClient.request("GET", "/hello?b", null));
            RawClient.Response head = c.readHead();
            assertEquals("3", head.header("content-length")); // "hi " without body
            RawClient.Response get = c.read();
            assertEquals("hi b", get.text());
            assertEquals("12345", c.post("/echo", "12345").text());
            assertEquals(500, c.get("/throw").status);
            assertEquals("handler failure (test)",
                    logs.expect(System.Logger.Level.WARNING, "HttpHandler threw").getThrown().getMessage());
            assertEquals(404, c.get("/other").status);
            RawClient.Response big = c.post("/echo", "12345678901");
            assertEquals(413, big.status);
            assertEquals("close", big.header("connection"));
        }
    }
}
