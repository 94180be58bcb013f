package dev.engineionio.bench.http;

import java.nio.charset.StandardCharsets;

/**
 * Requests as Chrome 131 sends them to an engine.io server on another origin (header order and values as recorded
 * from the browser's network log: client-hint headers, fetch metadata, a session cookie).
 */
public final class BrowserRequests {
    private BrowserRequests() {
    }

    private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36";
    private static final String CH_UA = "\"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"";

    static final String POLLING_GET = "GET /engine.io/?EIO=4&transport=polling&t=PHqVZ3a&sid=Ab3dEf6hIjKlMnOpAAAB HTTP/1.1\r\n"
            + "Host: localhost:3000\r\n"
            + "Connection: keep-alive\r\n"
            + "sec-ch-ua-platform: \"Linux\"\r\n"
            + "User-Agent: " + UA + "\r\n"
            + "sec-ch-ua: " + CH_UA + "\r\n"
            + "sec-ch-ua-mobile: ?0\r\n"
            + "Accept: */*\r\n"
            + "Origin: http://localhost:8080\r\n"
            + "Sec-Fetch-Site: same-site\r\n"
            + "Sec-Fetch-Mode: cors\r\n"
            + "Sec-Fetch-Dest: empty\r\n"
            + "Referer: http://localhost:8080/\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Cookie: io=Ab3dEf6hIjKlMnOpAAAB\r\n"
            + "\r\n";

    private static final String POST_BODY = "4{\"event\":\"chat\",\"text\":\"hello from the browser\"}\u001e4second message";

    static final String POLLING_POST = "POST /engine.io/?EIO=4&transport=polling&t=PHqVZ5b&sid=Ab3dEf6hIjKlMnOpAAAB HTTP/1.1\r\n"
            + "Host: localhost:3000\r\n"
            + "Connection: keep-alive\r\n"
            + "Content-Length: " + POST_BODY.length() + "\r\n"
            + "sec-ch-ua-platform: \"Linux\"\r\n"
            + "User-Agent: " + UA + "\r\n"
            + "sec-ch-ua: " + CH_UA + "\r\n"
            + "Content-type: text/plain;charset=UTF-8\r\n"
            + "sec-ch-ua-mobile: ?0\r\n"
            + "Accept: */*\r\n"
            + "Origin: http://localhost:8080\r\n"
            + "Sec-Fetch-Site: same-site\r\n"
            + "Sec-Fetch-Mode: cors\r\n"
            + "Sec-Fetch-Dest: empty\r\n"
            + "Referer: http://localhost:8080/\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Cookie: io=Ab3dEf6hIjKlMnOpAAAB\r\n"
            + "\r\n"
            + POST_BODY;

    static final String WEBSOCKET_UPGRADE = "GET /engine.io/?EIO=4&transport=websocket&sid=Ab3dEf6hIjKlMnOpAAAB HTTP/1.1\r\n"
            + "Host: localhost:3000\r\n"
            + "Connection: Upgrade\r\n"
            + "Pragma: no-cache\r\n"
            + "Cache-Control: no-cache\r\n"
            + "User-Agent: " + UA + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Origin: http://localhost:8080\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-US,en;q=0.9\r\n"
            + "Cookie: io=Ab3dEf6hIjKlMnOpAAAB\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "\r\n";

    public static byte[] bytes(String name) {
        switch (name) {
            case "pollingGet": return POLLING_GET.getBytes(StandardCharsets.ISO_8859_1);
            case "pollingPost": return POLLING_POST.getBytes(StandardCharsets.ISO_8859_1);
            case "websocketUpgrade": return WEBSOCKET_UPGRADE.getBytes(StandardCharsets.ISO_8859_1);
            default: throw new IllegalArgumentException(name);
        }
    }
}
