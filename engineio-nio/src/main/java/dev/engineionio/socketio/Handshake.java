package dev.engineionio.socketio;

import java.util.List;
import java.util.Map;

/**
 * The details of a socket's connection ({@code socket.handshake} of the reference).
 *
 * @param headers the Engine.IO handshake request's headers (lower-case names)
 * @param time    when the socket was created, as JavaScript's {@code new Date() + ""} writes it (in UTC)
 * @param address the client's IP address
 * @param xdomain whether the handshake request had an {@code Origin} header
 * @param secure  whether the connection is encrypted (always false: the server speaks plain HTTP)
 * @param issued  when the socket was created, ms since the epoch
 * @param url     the handshake request's target (path and query)
 * @param query   the handshake request's query parameters
 * @param auth    the CONNECT packet's auth payload ({@code {}} when none; protocol 4: the namespace's query)
 */
public record Handshake(Map<String, List<String>> headers, String time, String address, boolean xdomain,
                        boolean secure, long issued, String url, Map<String, String> query, Map<String, Object> auth) {
}
