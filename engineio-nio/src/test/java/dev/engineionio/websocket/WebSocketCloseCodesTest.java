package dev.engineionio.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WebSocketCloseCodesTest {

    @Test
    void acceptsExactlyTheCodesAPeerMaySend() {
        for (int code = -1; code <= 70_000; code++) {
            boolean expected = code == 1000 || code == 1001 || code == 1002 || code == 1003
                    || (code >= 1007 && code <= 1011)
                    || code == 1012 || code == 1013 || code == 1014
                    || (code >= 3000 && code <= 4999);
            assertEquals(expected, WebSocketCloseCodes.isValidOnWire(code), "code " + code);
        }
    }

    @Test
    void namesTheRegisteredCodes() {
        assertEquals(1000, WebSocketCloseCodes.NORMAL_CLOSURE);
        assertEquals(1001, WebSocketCloseCodes.GOING_AWAY);
        assertEquals(1002, WebSocketCloseCodes.PROTOCOL_ERROR);
        assertEquals(1003, WebSocketCloseCodes.UNSUPPORTED_DATA);
        assertEquals(1005, WebSocketCloseCodes.NO_STATUS_RECEIVED);
        assertEquals(1006, WebSocketCloseCodes.ABNORMAL_CLOSURE);
        assertEquals(1007, WebSocketCloseCodes.INVALID_PAYLOAD_DATA);
        assertEquals(1008, WebSocketCloseCodes.POLICY_VIOLATION);
        assertEquals(1009, WebSocketCloseCodes.MESSAGE_TOO_BIG);
        assertEquals(1010, WebSocketCloseCodes.MANDATORY_EXTENSION);
        assertEquals(1011, WebSocketCloseCodes.INTERNAL_ERROR);
        assertEquals(1015, WebSocketCloseCodes.TLS_HANDSHAKE);
    }
}
