package io.stanee.monitor;

import io.stanee.core.MonitorSnapshot;
import io.stanee.core.MonitorSnapshot.ChannelView;
import io.stanee.endpoint.StanServerBean;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.store.Store;
import io.stanee.store.StoreException;
import io.stanee.store.StoredMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * {@code /streaming/msgsz?channel=<name>&last=<n>}: stan-ee's own endpoint, which the Go server does not have,
 * for the web console's message view (nats-streaming-console subscribed as a client instead). It answers with
 * the channel's newest stored messages, oldest first: sequence, timestamp, subject, reply and the payload as
 * base64 (what Go's encoding/json makes of bytes), in the style of the Go endpoints beside it (same header
 * fields, indentation, JSONP {@code callback}, {@code Access-Control-Allow-Origin}).
 *
 * <p>Bounded: {@code last} defaults to {@value #DEFAULT_LAST} and is capped at {@value #MAX_LAST}, and one answer
 * carries at most {@value #BYTE_BUDGET} bytes of stored messages (the newest message always). A channel the
 * server does not have answers 404 {@code Channel <name> not found}, as channelsz does; no channel, 400.
 */
@WebServlet(urlPatterns = MessagesMonitor.MSGSZ)
public class MessagesMonitor extends HttpServlet {

    static final String MSGSZ = StreamingMonitor.ROOT + "/msgsz";
    static final int DEFAULT_LAST = 10;
    static final int MAX_LAST = 100;
    static final long BYTE_BUDGET = 4L * 1024 * 1024;
    private static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(5);

    @EJB
    StanServerBean server;

    @EJB
    Store store;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getParameter("channel");
        if (name == null || name.isEmpty()) {
            StreamingMonitor.httpError(response, 400, "channel is required: " + MSGSZ + "?channel=<name>&last=<n>");
            return;
        }
        MonitorSnapshot snapshot;
        try {
            snapshot = server.instance().snapshots().fresh(SNAPSHOT_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            snapshot = null;
        }
        if (snapshot == null) {
            StreamingMonitor.httpError(response, 503, "stan-ee has not started yet");
            return;
        }
        ChannelView channel = snapshot.channels().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElse(null);
        if (channel == null) {
            StreamingMonitor.httpError(response, 404, "Channel " + name + " not found");
            return;
        }
        int last = last(request.getParameter("last"));
        List<StoredMessage> messages;
        try {
            messages = LastMessages.read(store, channel, last, BYTE_BUDGET);
        } catch (StoreException | EJBException e) {
            StreamingMonitor.httpError(response, 503, "could not read the messages of " + name + ": "
                    + e.getMessage());
            return;
        }
        JsonArrayBuilder array = Json.createArrayBuilder();
        for (StoredMessage message : messages) {
            array.add(message(message));
        }
        StreamingMonitor.json(request, response, Json.createObjectBuilder()
                .add("cluster_id", snapshot.clusterId())
                .add("server_id", snapshot.serverId())
                .add("now", GoJson.time(Instant.now()))
                .add("name", channel.name())
                .add("msgs", channel.msgs())
                .add("first_seq", channel.firstSeq())
                .add("last_seq", channel.lastSeq())
                .add("last", last)
                .add("count", messages.size())
                .add("messages", array)
                .build());
    }

    /** Go's Atoi leniency as in the other endpoints: not a number or not positive means the default. */
    static int last(String parameter) {
        long last = StreamingMonitor.atoi(parameter);
        if (last <= 0) {
            return DEFAULT_LAST;
        }
        return (int) Math.min(last, MAX_LAST);
    }

    /** The stored MsgProto as the subscriber gets it on first delivery. */
    private static JsonObjectBuilder message(StoredMessage stored) {
        MsgProto proto;
        try {
            proto = MsgProto.parseFrom(stored.data());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("message " + stored.sequence() + " is not a stored MsgProto", e);
        }
        long nanos = proto.getTimestamp();
        JsonObjectBuilder json = Json.createObjectBuilder()
                .add("sequence", proto.getSequence())
                .add("timestamp", GoJson.time(Instant.ofEpochSecond(0, nanos)))
                .add("subject", proto.getSubject());
        if (!proto.getReply().isEmpty()) {
            json.add("reply", proto.getReply());
        }
        return json.add("size", proto.getData().size())
                .add("data", Base64.getEncoder().encodeToString(proto.getData().toByteArray()));
    }
}
