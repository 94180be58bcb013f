package dev.engineionio.interop;

import static org.junit.jupiter.api.Assertions.assertFalse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The conformance harness must be able to fail: placeholders expand and match as documented, and deliberately wrong
 * expectations played against the reference server are reported, each with the difference named.
 */
class TranscriptRunnerTest {

    private static final ServersUnderTest SERVERS = new ServersUnderTest();

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    @Test
    void expandsPlaceholders() {
        Map<String, String> vars = Map.of("sid", "abcdefghij0123456789");
        byte[] bytes = ByteTemplate.parse("{\"code\":1}{RS}{repeat:3:ab}{hex:00ff}{sid}").expand(vars);
        byte[] expected = "{\"code\":1}\u001eababab\u0000?abcdefghij0123456789".getBytes(StandardCharsets.ISO_8859_1);
        expected[expected.length - 21] = (byte) 0xff;
        assertArrayEquals(expected, bytes);
    }

    @Test
    void capturesAndComparesSessionIds() {
        Map<String, String> vars = new HashMap<>();
        ByteTemplate t = ByteTemplate.parse("x{sid}y{sid}");
        assertNull(t.match("xAAAAAAAAAAAAAAAAAAA_yAAAAAAAAAAAAAAAAAAA_".getBytes(StandardCharsets.US_ASCII), vars));
        assertEquals("AAAAAAAAAAAAAAAAAAA_", vars.get("sid"));
        String diff = t.match("xBBBBBBBBBBBBBBBBBBBByBBBBBBBBBBBBBBBBBBBB".getBytes(StandardCharsets.US_ASCII), vars);
        assertTrue(diff != null && diff.contains("expected {sid}=AAAAAAAAAAAAAAAAAAA_"), diff);
        assertTrue(t.match("xAAAA".getBytes(StandardCharsets.US_ASCII), new HashMap<>()).startsWith("ends at byte"));
        assertTrue(ByteTemplate.parse("ab").match("abc".getBytes(StandardCharsets.US_ASCII), vars)
                .contains("unexpected trailing bytes"));
        assertTrue(ByteTemplate.parse("{sid}").match("not/a/session/id/!!!".getBytes(StandardCharsets.US_ASCII),
                new HashMap<>()).contains("expected a session id"));
    }

    @Test
    void onlyDirectiveLimitsACaseToTheNamedServers() {
        List<TranscriptCase> cases = TranscriptCase.parse("inline",
                "### a\nonly: reference\n>>> a\nGET / HTTP/1.1\n\n### b\n>>> a\nGET / HTTP/1.1\n");
        assertEquals(List.of("reference"), cases.get(0).only());
        assertTrue(cases.get(0).appliesTo("reference"));
        assertFalse(cases.get(0).appliesTo("engineio-nio"));
        assertTrue(cases.get(1).appliesTo("engineio-nio"));
    }

    @Test
    void refusesAnUncapturedSessionIdInARequest() {
        assertThrows(IllegalStateException.class, () -> ByteTemplate.parse("{sid2}").expand(Map.of()));
    }

    private static final String HANDSHAKE_REQUEST = """
            >>> a
            GET /engine.io/?EIO=4&transport=polling HTTP/1.1

            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "status line|HTTP/1.1 201 OK\nContent-Type: text/plain; charset=UTF-8\nContent-Length: 118\n"
            + "Cache-Control: no-store\nAccess-Control-Allow-Origin: *\n\n0{\"sid\":\"{sid}\",\"upgrades\":"
            + "[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
        "header Content-Type|HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: 118\n"
            + "Cache-Control: no-store\nAccess-Control-Allow-Origin: *\n\n0{\"sid\":\"{sid}\",\"upgrades\":"
            + "[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
        "header X-Missing: expected once, found 0|HTTP/1.1 200 OK\nContent-Type: text/plain; charset=UTF-8\n"
            + "Content-Length: 118\nX-Missing: 1\nCache-Control: no-store\nAccess-Control-Allow-Origin: *\n\n"
            + "0{\"sid\":\"{sid}\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,"
            + "\"maxPayload\":1000000}",
        "unexpected header access-control-allow-origin|HTTP/1.1 200 OK\nContent-Type: text/plain; charset=UTF-8\n"
            + "Content-Length: 118\nCache-Control: no-store\n\n0{\"sid\":\"{sid}\",\"upgrades\":[\"websocket\"],"
            + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
        "body differs|HTTP/1.1 200 OK\nContent-Type: text/plain; charset=UTF-8\nContent-Length: 118\n"
            + "Cache-Control: no-store\nAccess-Control-Allow-Origin: *\n\n0{\"sid\":\"{sid}\",\"upgrades\":[],"
            + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}",
    })
    void reportsAWrongExpectation(String spec) {
        String[] parts = spec.split("\\|", 2);
        String text = "### wrong " + parts[0] + "\n" + HANDSHAKE_REQUEST + "<<< a\n" + parts[1] + "\n";
        assertFails(text, parts[0]);
    }

    @Test
    void reportsTwoSessionsExpectedToShareAnId() {
        String response = """
                <<< %s
                HTTP/1.1 200 OK
                Content-Type: text/plain; charset=UTF-8
                Content-Length: 118
                Cache-Control: no-store
                Access-Control-Allow-Origin: *

                0{"sid":"{sid}","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}
                """;
        String text = "### same sid twice\n" + HANDSHAKE_REQUEST + response.formatted("a")
                + HANDSHAKE_REQUEST.replace(">>> a", ">>> b") + response.formatted("b");
        assertFails(text, "expected {sid}=");
    }

    @Test
    void reportsAWrongRawAnswer() {
        String text = """
                ### wrong raw
                >>> w
                GET /engine.io/?EIO=4&transport=foo HTTP/1.1
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==
                Sec-WebSocket-Version: 13

                <<<raw w
                HTTP/1.1 400 Bad Request
                Connection: close
                Content-type: text/html
                Content-Length: 17

                Transport unknowN
                """;
        assertFails(text, "raw response differs at byte");
    }

    private static void assertFails(String caseText, String expectedFragment) {
        List<TranscriptCase> cases = TranscriptCase.parse("inline", caseText);
        assertEquals(1, cases.size());
        AssertionError e = assertThrows(AssertionError.class, () -> {
            try (TranscriptRunner runner =
                    new TranscriptRunner(SERVERS.get(ReferenceNodeServer.FACTORY, List.of()).baseUri())) {
                runner.run(cases.get(0));
            }
        });
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    }
}
