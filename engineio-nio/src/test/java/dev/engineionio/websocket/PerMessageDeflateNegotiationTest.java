package dev.engineionio.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * permessage-deflate negotiation through {@link WebSocketHandshake}, case by case from
 * {@code websocket/permessage-deflate-negotiation.txt} (offer, settings, RFC or npm ws rules, expected answer).
 */
class PerMessageDeflateNegotiationTest {

    record Case(int line, boolean nodeWs, String config, List<String> offerLines, String expected) {
        @Override
        public String toString() {
            return "line " + line + ": " + (nodeWs ? "ws" : "rfc") + " [" + config + "] " + offerLines + " -> "
                    + expected;
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        try (InputStream in = PerMessageDeflateNegotiationTest.class
                .getResourceAsStream("/websocket/permessage-deflate-negotiation.txt")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                String l = lines[i];
                if (l.isBlank() || l.startsWith("#")) {
                    continue;
                }
                String[] f = l.split(" \\|\\| ", -1);
                assertEquals(4, f.length, "line " + (i + 1));
                List<String> offers = new ArrayList<>();
                for (String o : f[2].split(" ## ")) {
                    offers.add(o);
                }
                out.add(new Case(i + 1, f[0].trim().equals("ws"), f[1].trim(), offers, f[3].trim()));
            }
        }
        assertTrue(out.size() > 60);
        return out.stream();
    }

    static PerMessageDeflateConfig config(String spec) {
        int threshold = PerMessageDeflateConfig.DEFAULT_THRESHOLD;
        Boolean snct = null;
        Boolean cnct = null;
        int smwb = PerMessageDeflateConfig.WINDOW_UNSET;
        int cmwb = PerMessageDeflateConfig.WINDOW_UNSET;
        if (!spec.equals("default")) {
            for (String kv : spec.split(" +")) {
                String[] p = kv.split("=");
                switch (p[0]) {
                    case "threshold" -> threshold = Integer.parseInt(p[1]);
                    case "snct" -> snct = Boolean.parseBoolean(p[1]);
                    case "cnct" -> cnct = Boolean.parseBoolean(p[1]);
                    case "smwb" -> smwb = p[1].equals("false") ? PerMessageDeflateConfig.WINDOW_DECLINE
                            : Integer.parseInt(p[1]);
                    case "cmwb" -> cmwb = p[1].equals("false") ? PerMessageDeflateConfig.WINDOW_DECLINE
                            : Integer.parseInt(p[1]);
                    default -> throw new AssertionError(kv);
                }
            }
        }
        return new PerMessageDeflateConfig(threshold, snct, cnct, smwb, cmwb);
    }

    private static WebSocketHandshake request(PerMessageDeflateConfig config, List<String> extensionLines) {
        WebSocketHandshake hs = new WebSocketHandshake();
        hs.reset();
        hs.method("GET");
        hs.httpVersion("HTTP/1.1");
        hs.header("Host", "localhost");
        hs.header("Upgrade", "websocket");
        hs.header("Connection", "Upgrade");
        hs.header("Sec-WebSocket-Version", "13");
        hs.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        for (String l : extensionLines) {
            byte[] b = l.getBytes(StandardCharsets.ISO_8859_1);
            byte[] line = ("Sec-WebSocket-Extensions: " + l).getBytes(StandardCharsets.ISO_8859_1);
            ByteBuffer buf = ByteBuffer.wrap(line);
            hs.header(buf, 0, 24, line.length - b.length, b.length);
        }
        hs.perMessageDeflate(config);
        return hs;
    }

    private static String responseHead(WebSocketHandshake hs) {
        ByteBuffer dst = ByteBuffer.allocate(1024);
        assertTrue(hs.writeResponse(dst) > 0);
        return new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void answersEachOfferAsTheTableSays(Case c) {
        WebSocketHandshake hs = request(config(c.config()), c.offerLines());
        WebSocketHandshake.Outcome o = c.nodeWs() ? hs.validateAsNodeWs(null) : hs.validate(null);
        if (c.expected().equals("reject")) {
            assertEquals(WebSocketHandshake.Outcome.INVALID_EXTENSION_OFFER, o);
            assertEquals(400, o.status());
            return;
        }
        assertEquals(WebSocketHandshake.Outcome.ACCEPTED, o);
        String head = responseHead(hs);
        if (c.expected().equals("declined")) {
            assertEquals(PerMessageDeflateNegotiator.DECLINED, hs.deflateParams());
            assertFalse(head.contains("Sec-WebSocket-Extensions"), head);
            return;
        }
        assertTrue(c.expected().startsWith("accept "), c.expected());
        String value = c.expected().substring("accept ".length());
        assertTrue(hs.deflateParams() >= 0);
        assertTrue(head.contains("\r\nSec-WebSocket-Extensions: " + value + "\r\n"), head);
        assertTrue(head.endsWith("\r\n\r\n"));
        assertEquals(head.length(), WebSocketHandshake.writeStatusLine(ByteBuffer.allocate(64))
                + hs.headerLinesLength() + 2);
        // The agreed parameters match the response.
        int agreed = hs.deflateParams();
        assertEquals(value.contains("server_no_context_takeover"),
                PerMessageDeflateNegotiator.serverNoContextTakeover(agreed));
        assertEquals(value.contains("client_no_context_takeover"),
                PerMessageDeflateNegotiator.clientNoContextTakeover(agreed));
        assertEquals(value.contains("server_max_window_bits=15") ? 15 : 0,
                PerMessageDeflateNegotiator.serverMaxWindowBits(agreed));
    }

    @Test
    void ignoresOffersWhenTheExtensionIsOff() {
        WebSocketHandshake hs = request(null, List.of("permessage-deflate; foo,,,"));
        assertEquals(WebSocketHandshake.Outcome.ACCEPTED, hs.validateAsNodeWs(null));
        assertEquals(PerMessageDeflateNegotiator.DECLINED, hs.deflateParams());
        assertFalse(responseHead(hs).contains("Extensions"));
    }

    @Test
    void rejectsOffersLongerThanTheLimitAndAcceptsOnesAtIt() {
        String pad = "x".repeat(PerMessageDeflateNegotiator.MAX_HEADER_BYTES - "permessage-deflate, ".length());
        String atLimit = "permessage-deflate, " + pad;
        assertEquals(PerMessageDeflateNegotiator.MAX_HEADER_BYTES, atLimit.length());
        WebSocketHandshake ok = request(PerMessageDeflateConfig.DEFAULT, List.of(atLimit));
        assertEquals(WebSocketHandshake.Outcome.ACCEPTED, ok.validate(null));
        assertTrue(ok.deflateParams() >= 0);
        WebSocketHandshake over = request(PerMessageDeflateConfig.DEFAULT, List.of(atLimit + "x"));
        assertEquals(WebSocketHandshake.Outcome.INVALID_EXTENSION_OFFER, over.validate(null));
        WebSocketHandshake twoLines = request(PerMessageDeflateConfig.DEFAULT, List.of(atLimit, "y"));
        assertEquals(WebSocketHandshake.Outcome.INVALID_EXTENSION_OFFER, twoLines.validateAsNodeWs(null));
    }

    @Test
    void writesTheNodeWsRejectionBody() {
        ByteBuffer dst = ByteBuffer.allocate(512);
        WebSocketHandshake.writeNodeWsRejection(dst, WebSocketHandshake.Outcome.INVALID_EXTENSION_OFFER);
        String s = new String(dst.array(), 0, dst.position(), StandardCharsets.US_ASCII);
        assertTrue(s.startsWith("HTTP/1.1 400 Bad Request\r\n"), s);
        assertTrue(s.endsWith("\r\n\r\nInvalid or unacceptable Sec-WebSocket-Extensions header"), s);
    }

    @Test
    void refusesSettingsTheJdkCannotHonour() {
        assertThrows(IllegalArgumentException.class, () -> new PerMessageDeflateConfig(1024, null, null, 10, -1));
        assertThrows(IllegalArgumentException.class, () -> new PerMessageDeflateConfig(1024, null, null, -1, 7));
        assertThrows(IllegalArgumentException.class, () -> new PerMessageDeflateConfig(-1, null, null, -1, -1));
    }
}
