package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests whose target is in absolute-form ({@code GET http://host:port/path?query HTTP/1.1}) are served like the
 * origin form (RFC 9112 §3.2.2: a server MUST accept it), and the Host value seen by the application is the target's
 * authority: the Engine.IO path, the raw WebSocket endpoints and the {@link HttpHandler} all route on the path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbsoluteFormTargetTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9_-]{20})\"");

    private EngineServer server;
    private String origin;

    @BeforeEach
    void start() throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .httpHandler((req, res) -> res.send(req.path() + " " + req.query() + " " + req.header("host")))
                .webSocket("/raw", new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocketSession session) {
                        session.sendText("open " + session.path());
                    }
                })
                .onConnection(s -> s.onMessage(s::send))
                .build().start();
        origin = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void engineIoHandshakeAndPollsInAbsoluteForm() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get(origin + "/engine.io/?EIO=4&transport=polling");
            assertEquals(200, r.status, r.toString());
            Matcher m = SID.matcher(r.text());
            assertTrue(m.find(), r.text());
            String sid = m.group(1);
            assertEquals(1, server.clientsCount());
            assertEquals("ok", c.post("HTTPS://127.0.0.1/engine.io/?EIO=4&transport=polling&sid=" + sid, "4hello")
                    .text());
            r = c.get(origin + "/engine.io/?EIO=4&transport=polling&sid=" + sid);
            assertEquals(200, r.status);
            assertEquals("4hello", r.text());
        }
    }

    @Test
    void httpHandlerSeesThePathAndTheAuthorityAsHost() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            // RawClient sends "Host: localhost": the target's authority replaces it.
            assertEquals("/hello a=1 127.0.0.1:" + server.port(), c.get(origin + "/hello?a=1").text());
            assertEquals("/ x=2 [::1]:8443", c.get("https://[::1]:8443?x=2").text());
            assertEquals("/  example.com", c.get("http://example.com").text());
            assertEquals("/engine.io  h", c.get("http://h/engine.io").text(), "not the Engine.IO path /engine.io/");
            assertEquals("/hello  localhost", c.get("/hello").text(), "origin-form keeps the received Host");
        }
    }

    @Test
    void rawWebSocketEndpointIsRoutedOnThePath() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.upgrade(origin + "/raw");
            assertEquals(101, r.status, r.toString());
            assertEquals("open /raw", c.readFrame().text());
        }
    }

    @Test
    void malformedAbsoluteTargetIsBadRequest() throws Exception {
        for (String target : new String[] {"http://user@127.0.0.1/hello", "http://127.0.0.1:8x/hello", "http:///hello",
                "http://[::1/hello", "ftp://127.0.0.1/hello"}) {
            try (RawClient c = new RawClient(server.port())) {
                RawClient.Response r = c.get(target);
                assertEquals(400, r.status, target);
                assertEquals("close", r.header("connection"), target);
            }
        }
    }
}
