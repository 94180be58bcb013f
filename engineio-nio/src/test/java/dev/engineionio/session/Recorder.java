package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * One ordered log shared by recording fakes of every output interface and the listener, so tests assert the exact
 * interleaving of wire answers and events. Fakes fail the test on a second answer to one request or on output
 * after a close.
 */
final class Recorder {
    enum Ev { OPEN, PACKET, PACKET_CREATE, HEARTBEAT, MESSAGE, UPGRADING, UPGRADE, FLUSH, DRAIN, CLOSE }

    final List<String> log = new ArrayList<>();
    final Set<Ev> recorded;
    final Listener listener = new Listener();
    /** The last {@link SessionListener#onDeadline} report ({@code NO_DEADLINE} before any), as a driver holds it. */
    long reportedDeadline = EngineSession.NO_DEADLINE;
    /** Run by the drain event after it is recorded (a listener that sends from inside the session's flush). */
    Runnable onDrain;

    Recorder(Set<Ev> recorded) {
        this.recorded = recorded;
    }

    Recorder() {
        this(EnumSet.of(Ev.OPEN, Ev.MESSAGE, Ev.UPGRADING, Ev.UPGRADE, Ev.CLOSE));
    }

    void add(String entry) {
        log.add(entry);
    }

    /** Returns and clears the log. */
    List<String> take() {
        List<String> copy = new ArrayList<>(log);
        log.clear();
        return copy;
    }

    void expect(String... entries) {
        assertEquals(List.of(entries), take());
    }

    /** Packets in v4 text notation joined by {@code \x1e}; binary as {@code b<base64>}. */
    static String encode(WriteBuffer b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.count(); i++) {
            if (i > 0) {
                sb.append('\u001e');
            }
            if (b.isBinary(i)) {
                ByteBuffer bb = b.binary(i).duplicate();
                byte[] bytes = new byte[bb.remaining()];
                bb.get(bytes);
                sb.append('b').append(Base64.getEncoder().encodeToString(bytes));
            } else {
                sb.append(b.type(i).code());
                if (b.text(i) != null) {
                    sb.append(b.text(i));
                }
            }
        }
        return sb.toString();
    }

    final class Poll implements PollResponder {
        final String name;
        boolean answered;

        Poll(String name) {
            this.name = name;
        }

        private void once() {
            if (answered) {
                fail(name + " answered twice");
            }
            answered = true;
        }

        @Override
        public void respond(WriteBuffer batch) {
            once();
            add(name + " 200 " + encode(batch));
        }

        @Override
        public void respondStatus(int status) {
            once();
            add(name + " " + status);
        }
    }

    final class Post implements PostResponder {
        final String name;
        boolean answered;

        Post(String name) {
            this.name = name;
        }

        private void once() {
            if (answered) {
                fail(name + " answered twice");
            }
            answered = true;
        }

        @Override
        public void respondOk() {
            once();
            add(name + " ok");
        }

        @Override
        public void respondStatus(int status) {
            once();
            add(name + " " + status);
        }

        @Override
        public void abort() {
            once();
            add(name + " abort");
        }
    }

    final class Sink implements FrameSink {
        final String name;
        boolean closed;

        Sink(String name) {
            this.name = name;
        }

        @Override
        public void send(WriteBuffer batch) {
            assertFalse(closed, name + " send after close");
            for (int i = 0; i < batch.count(); i++) {
                WriteBuffer one = new WriteBuffer();
                one.add(batch.type(i), batch.isBinary(i) ? batch.binary(i) : batch.text(i), false);
                add(name + " frame " + encode(one));
            }
        }

        @Override
        public void close() {
            assertFalse(closed, name + " closed twice");
            closed = true;
            add(name + " close");
        }
    }

    final class Listener implements SessionListener {
        private boolean on(Ev e) {
            return recorded.contains(e);
        }

        @Override
        public void onDeadline(EngineSession s, long deadlineNs) {
            assertEquals(s.nextDeadlineNs(), deadlineNs, "a report is the session's next deadline");
            reportedDeadline = deadlineNs;
        }

        @Override
        public void onOpen(EngineSession s) {
            if (on(Ev.OPEN)) {
                add("open");
            }
        }

        @Override
        public void onPacket(EngineSession s, PacketType type, CharSequence text, ByteBuffer binary) {
            if (on(Ev.PACKET)) {
                add("packet " + type.code() + (text == null ? "" : text));
            }
        }

        @Override
        public void onPacketCreate(EngineSession s, PacketType type, Object payload) {
            if (on(Ev.PACKET_CREATE)) {
                add("packetCreate " + type.code() + (payload instanceof CharSequence ? payload : ""));
            }
        }

        @Override
        public void onHeartbeat(EngineSession s) {
            if (on(Ev.HEARTBEAT)) {
                add("heartbeat");
            }
        }

        @Override
        public void onMessage(EngineSession s, CharSequence text) {
            if (on(Ev.MESSAGE)) {
                add("message " + text);
            }
        }

        @Override
        public void onBinaryMessage(EngineSession s, ByteBuffer data) {
            if (on(Ev.MESSAGE)) {
                add("binary " + data.remaining());
            }
        }

        @Override
        public void onUpgrading(EngineSession s, TransportKind to) {
            if (on(Ev.UPGRADING)) {
                add("upgrading " + to.queryName());
            }
        }

        @Override
        public void onUpgrade(EngineSession s, TransportKind to) {
            if (on(Ev.UPGRADE)) {
                add("upgrade " + to.queryName());
            }
        }

        @Override
        public void onFlush(EngineSession s, WriteBuffer writeBuffer) {
            if (on(Ev.FLUSH)) {
                add("flush " + encode(writeBuffer));
            }
        }

        @Override
        public void onDrain(EngineSession s) {
            if (on(Ev.DRAIN)) {
                add("drain");
            }
            if (onDrain != null) {
                onDrain.run();
            }
        }

        @Override
        public void onClose(EngineSession s, CloseReason reason, String description) {
            if (on(Ev.CLOSE)) {
                add("close " + reason.text() + (description == null ? "" : " / " + description));
            }
        }
    }
}
