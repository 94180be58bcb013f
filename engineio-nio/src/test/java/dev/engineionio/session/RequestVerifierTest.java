package dev.engineionio.session;

import dev.engineionio.protocol.PacketEncoder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.engineionio.session.RequestVerdict.Outcome.ASK_ALLOW_REQUEST;
import static dev.engineionio.session.RequestVerdict.Outcome.CLOSE_WEBSOCKET;
import static dev.engineionio.session.RequestVerdict.Outcome.EXISTING_SESSION;
import static dev.engineionio.session.RequestVerdict.Outcome.HANDSHAKE;
import static dev.engineionio.session.RequestVerdict.Outcome.POLLING_METHOD_NOT_ALLOWED;
import static dev.engineionio.session.RequestVerdict.Outcome.REJECT;
import static dev.engineionio.session.RequestVerdict.Outcome.UNANSWERED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every rule of the reference's request checks, one test each, and pairs of failing rules proving the order.
 * Expected bodies and contexts are copied from the wire transcripts of engine.io 6.6.12.
 */
class RequestVerifierTest {
    private static final String SID = "dFrNNFkkLcvtBO82AAAI";

    private final List<String> events = new ArrayList<>();
    private final RequestFacts req = new RequestFacts();
    private final RequestVerdict verdict = new RequestVerdict();
    private SessionRegistry registry;
    private RequestVerifier verifier;

    @BeforeEach
    void setUp() {
        registry = new SessionRegistry();
        verifier = verifier(EngineConfig.defaults());
    }

    private RequestVerifier verifier(EngineConfig c) {
        return new RequestVerifier(c, registry, (r, v) -> events.add(v.errorCode().code() + " "
                + v.errorCode().message() + " " + v.contextJson()));
    }

    private RequestFacts get(String eio, String transport) {
        req.reset();
        req.method = "GET";
        req.eio = eio;
        req.transport = transport;
        return req;
    }

    private EngineSession pollingSession(int protocol) {
        EngineSession s = new EngineSession(SID, EngineConfig.defaults(), new SessionListener() { }, registry,
                new PollingTransport(protocol, true, null));
        s.open(0);
        return s;
    }

    private void expectReject(RejectCause cause, int status, String body, String event) {
        assertEquals(REJECT, verifier.verify(req, verdict));
        assertRejected(cause, status, body, event);
    }

    private void assertRejected(RejectCause cause, int status, String body, String event) {
        assertEquals(REJECT, verdict.outcome());
        assertEquals(cause, verdict.cause());
        assertEquals(status, verdict.errorCode().httpStatus());
        ByteBuffer b = ByteBuffer.allocate(PacketEncoder.measureErrorBody(verdict.errorCode().code(), verdict.errorMessage()));
        PacketEncoder.writeErrorBody(verdict.errorCode().code(), verdict.errorMessage(), b);
        assertEquals(body, new String(b.array(), StandardCharsets.UTF_8));
        assertEquals(List.of(event), events);
        events.clear();
    }

    private void expectAccept(RequestVerdict.Outcome outcome) {
        assertEquals(outcome, verifier.verify(req, verdict));
        assertEquals(List.of(), events);
    }

    // ---------------------------------------------------------------- one rule each

    @Test
    void validPollingHandshake() {
        get("4", "polling");
        expectAccept(HANDSHAKE);
        assertEquals(TransportKind.POLLING, verdict.transportKind());
        assertEquals(4, verdict.protocol());
    }

    @Test
    void validWebSocketHandshake() {
        get("4", "websocket").upgrade = true;
        expectAccept(HANDSHAKE);
        assertEquals(TransportKind.WEBSOCKET, verdict.transportKind());
    }

    @Test
    void missingTransportIsUnknownTransportWithEmptyContext() {
        get("4", null);
        expectReject(RejectCause.UNKNOWN_TRANSPORT, 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
                "0 Transport unknown {}");
    }

    @Test
    void unknownTransportNamesItInTheContext() {
        get("4", "abc");
        expectReject(RejectCause.UNKNOWN_TRANSPORT, 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
                "0 Transport unknown {\"transport\":\"abc\"}");
        get("4", "webtransport");
        expectReject(RejectCause.UNKNOWN_TRANSPORT, 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
                "0 Transport unknown {\"transport\":\"webtransport\"}");
        get("4", "Polling"); // case-sensitive
        expectReject(RejectCause.UNKNOWN_TRANSPORT, 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
                "0 Transport unknown {\"transport\":\"Polling\"}");
    }

    @Test
    void disabledTransportIsUnknown() {
        verifier = verifier(EngineConfig.builder().transports(Set.of(TransportKind.WEBSOCKET)).build());
        get("4", "polling");
        expectReject(RejectCause.UNKNOWN_TRANSPORT, 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
                "0 Transport unknown {\"transport\":\"polling\"}");
    }

    @Test
    void invalidOriginCharacterIsBadRequest() {
        get("4", "polling").origin = "http://a\u007fb";
        expectReject(RejectCause.INVALID_ORIGIN, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"INVALID_ORIGIN\",\"origin\":\"http://a\u007fb\"}");
        get("4", "polling").origin = "http://\u00e9xample.com\tx"; // obs-text and HTAB are fine
        expectAccept(HANDSHAKE);
    }

    @Test
    void unknownSidIsCode1() {
        get("4", "polling").sid = "doesnotexist";
        expectReject(RejectCause.UNKNOWN_SID, 400, "{\"code\":1,\"message\":\"Session ID unknown\"}",
                "1 Session ID unknown {\"sid\":\"doesnotexist\"}");
        get("4", "polling").sid = "__proto__";
        expectReject(RejectCause.UNKNOWN_SID, 400, "{\"code\":1,\"message\":\"Session ID unknown\"}",
                "1 Session ID unknown {\"sid\":\"__proto__\"}");
    }

    @Test
    void closedSessionIsUnknown() {
        EngineSession s = pollingSession(4);
        s.close(true, 0);
        get("4", "polling").sid = SID;
        expectReject(RejectCause.UNKNOWN_SID, 400, "{\"code\":1,\"message\":\"Session ID unknown\"}",
                "1 Session ID unknown {\"sid\":\"" + SID + "\"}");
    }

    @Test
    void existingSessionOnItsTransportIsRoutedToIt() {
        EngineSession s = pollingSession(4);
        get("4", "polling").sid = SID;
        expectAccept(EXISTING_SESSION);
        assertSame(s, verdict.session());
        req.method = "POST";
        expectAccept(EXISTING_SESSION);
    }

    @Test
    void transportMismatchWithoutUpgradeIsBadRequest() {
        pollingSession(4);
        get("4", "websocket").sid = SID;
        expectReject(RejectCause.TRANSPORT_MISMATCH, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"TRANSPORT_MISMATCH\",\"transport\":\"websocket\",\"previousTransport\":\"polling\"}");
    }

    @Test
    void pollingAfterUpgradeIsTransportMismatch() {
        EngineSession s = pollingSession(4);
        WebSocketTransport ws = new WebSocketTransport(4, true, new Recorder().new Sink("WS"));
        s.onWebSocketUpgradeRequest(ws, 0);
        ws.onPacket(dev.engineionio.protocol.PacketType.UPGRADE, "", null, 0);
        get("4", "polling").sid = SID;
        expectReject(RejectCause.TRANSPORT_MISMATCH, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"TRANSPORT_MISMATCH\",\"transport\":\"polling\",\"previousTransport\":\"websocket\"}");
        // a second WebSocket passes verification and is refused by the session
        get("4", "websocket").sid = SID;
        req.upgrade = true;
        expectAccept(EXISTING_SESSION);
        WebSocketTransport second = new WebSocketTransport(4, true, new Recorder().new Sink("WS2"));
        assertFalse(verdict.session().onWebSocketUpgradeRequest(second, 0));
    }

    @Test
    void protocolMismatchIsBadRequest() {
        pollingSession(4);
        get("3", "polling").sid = SID;
        expectReject(RejectCause.PROTOCOL_MISMATCH, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"PROTOCOL_MISMATCH\",\"protocol\":3,\"previousProtocol\":4}");
    }

    @Test
    void upgradeOfAnExistingPollingSessionIsRoutedToIt() {
        pollingSession(4);
        get("4", "websocket").sid = SID;
        req.upgrade = true;
        expectAccept(EXISTING_SESSION);
    }

    @Test
    void nonGetNonPostOnAPollingSessionIs500WithoutEvent() {
        pollingSession(4);
        get("4", "polling").sid = SID;
        req.method = "PUT";
        expectAccept(POLLING_METHOD_NOT_ALLOWED);
        req.method = "OPTIONS";
        expectAccept(POLLING_METHOD_NOT_ALLOWED);
    }

    @Test
    void plainGetWithWebSocketTransportOnAWebSocketSessionIsNeverAnswered() {
        EngineSession s = new EngineSession(SID, EngineConfig.defaults(), new SessionListener() { }, registry,
                new WebSocketTransport(4, true, new Recorder().new Sink("WS")));
        s.open(0);
        get("4", "websocket").sid = SID;
        expectAccept(UNANSWERED);
    }

    @Test
    void handshakeWithAnotherMethodIsCode2() {
        for (String m : new String[] {"POST", "PUT", "OPTIONS"}) {
            get("4", "polling").method = m;
            expectReject(RejectCause.BAD_HANDSHAKE_METHOD, 400, "{\"code\":2,\"message\":\"Bad handshake method\"}",
                    "2 Bad handshake method {\"method\":\"" + m + "\"}");
        }
    }

    @Test
    void webSocketHandshakeWithoutUpgradeIsBadRequest() {
        get("4", "websocket");
        expectReject(RejectCause.TRANSPORT_HANDSHAKE_ERROR, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"TRANSPORT_HANDSHAKE_ERROR\"}");
    }

    @Test
    void allowRequestRefusalIs403WithTheHookMessageInTheBody() {
        verifier = verifier(EngineConfig.builder().allowRequest(true).build());
        get("4", "polling");
        expectAccept(ASK_ALLOW_REQUEST);
        assertEquals(REJECT, verifier.afterAllowRequest(req, false, "custom reject reason", verdict));
        assertRejected(RejectCause.FORBIDDEN, 403, "{\"code\":4,\"message\":\"custom reject reason\"}",
                "4 Forbidden {\"message\":\"custom reject reason\"}");
        assertEquals("custom reject reason", verdict.errorMessage());
    }

    @Test
    void allowRequestRefusalWithoutMessageSaysForbidden() {
        verifier = verifier(EngineConfig.builder().allowRequest(true).build());
        get("4", "polling");
        verifier.verify(req, verdict);
        verifier.afterAllowRequest(req, false, null, verdict);
        assertRejected(RejectCause.FORBIDDEN, 403, "{\"code\":4,\"message\":\"Forbidden\"}", "4 Forbidden {}");
    }

    @Test
    void allowRequestAcceptanceContinuesTheHandshake() {
        verifier = verifier(EngineConfig.builder().allowRequest(true).build());
        get("4", "polling");
        verifier.verify(req, verdict);
        assertEquals(HANDSHAKE, verifier.afterAllowRequest(req, true, null, verdict));
        assertThrows(IllegalStateException.class, () -> verifier.afterAllowRequest(req, true, null, verdict));
    }

    @Test
    void protocol3WithoutAllowEio3IsCode5() {
        for (String eio : new String[] {null, "abc", "3", "5", "4 ", ""}) {
            get(eio, "polling");
            expectReject(RejectCause.UNSUPPORTED_PROTOCOL_VERSION, 400,
                    "{\"code\":5,\"message\":\"Unsupported protocol version\"}",
                    "5 Unsupported protocol version {\"protocol\":3}");
            assertFalse(verdict.afterWebSocketHandshake());
        }
    }

    @Test
    void protocol3IsAcceptedWithAllowEio3() {
        verifier = verifier(EngineConfig.builder().allowEIO3(true).build());
        get("3", "polling");
        expectAccept(HANDSHAKE);
        assertEquals(3, verdict.protocol());
        get(null, "polling"); // missing EIO is v3 too
        expectAccept(HANDSHAKE);
    }

    @Test
    void code5OnAnUpgradeIsAnsweredAfterTheWebSocketHandshake() {
        get(null, "websocket").upgrade = true;
        expectReject(RejectCause.UNSUPPORTED_PROTOCOL_VERSION, 400,
                "{\"code\":5,\"message\":\"Unsupported protocol version\"}",
                "5 Unsupported protocol version {\"protocol\":3}");
        assertTrue(verdict.afterWebSocketHandshake());
        assertEquals("Unsupported protocol version", verdict.errorMessage());
    }

    @Test
    void rejectedUpgradeBeforeTheHandshakeUsesTheRawAnswer() {
        get("4", "foo").upgrade = true;
        expectReject(RejectCause.UNKNOWN_TRANSPORT, 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
                "0 Transport unknown {\"transport\":\"foo\"}");
        assertFalse(verdict.afterWebSocketHandshake());
        assertEquals("Transport unknown", verdict.errorMessage());
    }

    @Test
    void upgradeRequestWithPollingTransportCompletesThenCloses() {
        get("4", "polling").upgrade = true;
        expectAccept(CLOSE_WEBSOCKET);
        pollingSession(4);
        get("4", "polling").sid = SID;
        req.upgrade = true;
        expectAccept(CLOSE_WEBSOCKET);
    }

    @Test
    void idGenerationFailureIsBadRequest() {
        get("4", "polling");
        verifier.verify(req, verdict);
        assertEquals(REJECT, verifier.rejectIdGeneration(req, verdict));
        assertRejected(RejectCause.ID_GENERATION_ERROR, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"ID_GENERATION_ERROR\"}");
    }

    @Test
    void emptySidMeansHandshakeAndEmptyB64MeansBinary() {
        get("4", "polling").sid = "";
        expectAccept(HANDSHAKE);
        req.b64 = "";
        assertTrue(req.supportsBinary());
        req.b64 = "1";
        assertFalse(req.supportsBinary());
        req.j = "";
        assertTrue(req.isJsonp());
    }

    // ---------------------------------------------------------------- order of checks

    @Test
    void transportIsCheckedBeforeOrigin() {
        get("4", "abc").origin = "\u0001";
        expectReject(RejectCause.UNKNOWN_TRANSPORT, 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
                "0 Transport unknown {\"transport\":\"abc\"}");
    }

    @Test
    void transportIsCheckedBeforeSid() {
        get("4", "abc").sid = "nope";
        expectReject(RejectCause.UNKNOWN_TRANSPORT, 400, "{\"code\":0,\"message\":\"Transport unknown\"}",
                "0 Transport unknown {\"transport\":\"abc\"}");
    }

    @Test
    void originIsCheckedBeforeSid() {
        get("4", "polling").sid = "nope";
        req.origin = "\u0001";
        expectReject(RejectCause.INVALID_ORIGIN, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"INVALID_ORIGIN\",\"origin\":\"\\u0001\"}");
    }

    @Test
    void unknownSidIsCheckedBeforeMethod() {
        get("4", "polling").sid = "nope";
        req.method = "PUT";
        expectReject(RejectCause.UNKNOWN_SID, 400, "{\"code\":1,\"message\":\"Session ID unknown\"}",
                "1 Session ID unknown {\"sid\":\"nope\"}");
    }

    @Test
    void transportMismatchIsCheckedBeforeProtocolMismatch() {
        pollingSession(4);
        get("3", "websocket").sid = SID;
        expectReject(RejectCause.TRANSPORT_MISMATCH, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"TRANSPORT_MISMATCH\",\"transport\":\"websocket\",\"previousTransport\":\"polling\"}");
    }

    @Test
    void protocolMismatchIsCheckedBeforeMethod() {
        pollingSession(4);
        get("3", "polling").sid = SID;
        req.method = "PUT";
        expectReject(RejectCause.PROTOCOL_MISMATCH, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"PROTOCOL_MISMATCH\",\"protocol\":3,\"previousProtocol\":4}");
    }

    @Test
    void methodIsCheckedBeforeProtocolVersion() {
        get(null, "polling").method = "POST";
        expectReject(RejectCause.BAD_HANDSHAKE_METHOD, 400, "{\"code\":2,\"message\":\"Bad handshake method\"}",
                "2 Bad handshake method {\"method\":\"POST\"}");
    }

    @Test
    void methodIsCheckedBeforeWebSocketWithoutUpgrade() {
        get("4", "websocket").method = "POST";
        expectReject(RejectCause.BAD_HANDSHAKE_METHOD, 400, "{\"code\":2,\"message\":\"Bad handshake method\"}",
                "2 Bad handshake method {\"method\":\"POST\"}");
    }

    @Test
    void webSocketWithoutUpgradeIsCheckedBeforeProtocolVersion() {
        get(null, "websocket");
        expectReject(RejectCause.TRANSPORT_HANDSHAKE_ERROR, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"TRANSPORT_HANDSHAKE_ERROR\"}");
    }

    @Test
    void webSocketWithoutUpgradeIsCheckedBeforeAllowRequest() {
        verifier = verifier(EngineConfig.builder().allowRequest(true).build());
        get("4", "websocket");
        expectReject(RejectCause.TRANSPORT_HANDSHAKE_ERROR, 400, "{\"code\":3,\"message\":\"Bad request\"}",
                "3 Bad request {\"name\":\"TRANSPORT_HANDSHAKE_ERROR\"}");
    }

    @Test
    void allowRequestIsAskedBeforeProtocolVersion() {
        verifier = verifier(EngineConfig.builder().allowRequest(true).build());
        get("3", "polling");
        expectAccept(ASK_ALLOW_REQUEST);
        verifier.afterAllowRequest(req, false, "no", verdict);
        assertRejected(RejectCause.FORBIDDEN, 403, "{\"code\":4,\"message\":\"no\"}", "4 Forbidden {\"message\":\"no\"}");
        get("3", "polling");
        verifier.verify(req, verdict);
        verifier.afterAllowRequest(req, true, null, verdict);
        assertRejected(RejectCause.UNSUPPORTED_PROTOCOL_VERSION, 400,
                "{\"code\":5,\"message\":\"Unsupported protocol version\"}", "5 Unsupported protocol version {\"protocol\":3}");
    }

    @Test
    void pollingUpgradeIsClosedBeforeTheProtocolVersionCheck() {
        get(null, "polling").upgrade = true;
        expectAccept(CLOSE_WEBSOCKET);
    }

    @Test
    void allowRequestIsNotAskedForRequestsWithASid() {
        verifier = verifier(EngineConfig.builder().allowRequest(true).build());
        pollingSession(4);
        get("4", "polling").sid = SID;
        expectAccept(EXISTING_SESSION);
    }

    @Test
    void verdictIsResetBetweenRequests() {
        get("4", "abc");
        verifier.verify(req, verdict);
        events.clear();
        get("4", "polling");
        expectAccept(HANDSHAKE);
        assertNull(verdict.cause());
        assertNull(verdict.session());
    }
}
