package io.stanee.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.ChannelLists;
import io.stanee.protocol.ServerSubjects;
import io.stanee.protocol.spb.ServerProtocol.CtrlMsg;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

/**
 * This server's channels in a partitioned cluster, and the Go partitions protocol (partitions.go) that keeps every
 * channel owned once: at start a server sends the list of its channels on {@code _STAN.part.<cluster>}; every other
 * server answers with the first channel the two lists share (or nothing); an answer naming a channel means this
 * server must not start. Names may hold wildcards: "orders.*" and "orders.eu" overlap.
 */
final class Partitions {

    private static final Logger LOG = Logger.getLogger(Partitions.class.getName());

    /** Go: partitionsDefaultRequestTimeout: the wait for the next answer before the list counts as unique. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(1);

    private final ChannelOwnership ownership;
    private final String subject;
    private final String answerInbox;
    private final String serverId;
    private long quietUntil;
    private String conflict;

    Partitions(String clusterId, ChannelOwnership ownership, String serverId) {
        this.ownership = ownership;
        this.subject = ServerSubjects.partitions(clusterId);
        this.answerInbox = "_INBOX." + RandomIds.next();
        this.serverId = serverId;
    }

    /** Where other servers send their lists, and where their answers to ours come. */
    List<String> subjects() {
        return List.of(subject, answerInbox);
    }

    List<String> channels() {
        return ownership.channels();
    }

    boolean isControl(String messageSubject) {
        return messageSubject.equals(subject) || messageSubject.equals(answerInbox);
    }

    /** This server's list, sent to the others; their answers are awaited until {@link #verdict}. */
    OutboundMessage announce(long now) {
        quietUntil = now + ANSWER_WAIT.toNanos();
        return OutboundMessage.publish(subject, answerInbox, control(ChannelLists.encode(ownership.channels())));
    }

    /** A message on the partitions subjects: another server's list (answered) or an answer to ours. */
    List<OutboundMessage> received(InboundMessage message, long now) {
        CtrlMsg control;
        try {
            control = CtrlMsg.parseFrom(message.data() == null ? new byte[0] : message.data());
        } catch (InvalidProtocolBufferException e) {
            LOG.severe("Error processing partitioning request: " + e.getMessage());
            return List.of();
        }
        if (control.getServerID().equals(serverId)) {
            return List.of();
        }
        if (message.subject().equals(answerInbox)) {
            quietUntil = now + ANSWER_WAIT.toNanos();
            if (!control.getData().isEmpty() && conflict == null) {
                conflict = String.format("channel %s causes conflict with channels on server %s",
                        ServerState.quote(control.getData().toStringUtf8()), ServerState.quote(control.getServerID()));
            }
            return List.of();
        }
        if (message.replyTo() == null || control.getData().isEmpty()) {
            return List.of();
        }
        List<String> theirs;
        try {
            theirs = ChannelLists.decode(control.getData().toByteArray());
        } catch (IllegalArgumentException e) {
            LOG.severe("Error processing partitioning request: " + e.getMessage());
            return List.of();
        }
        String shared = firstShared(theirs);
        return List.of(OutboundMessage.publish(message.replyTo(), control(shared == null ? new byte[0]
                : shared.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    }

    /** Go's check, in its order: one of theirs that one of ours covers, else one of ours that theirs cover. */
    private String firstShared(List<String> theirs) {
        for (String channel : theirs) {
            if (ownership.owns(channel)) {
                return channel;
            }
        }
        for (String mine : ownership.channels()) {
            if (theirs.stream().anyMatch(other -> ChannelOwnership.covers(other, mine))) {
                return mine;
            }
        }
        return null;
    }

    /**
     * After the announcement: null while answers may still come, else the outcome: "" when no other server owns
     * one of this server's channels, the Go server's conflict message when one does.
     */
    String verdict(long now) {
        if (conflict != null) {
            return conflict;
        }
        return now - quietUntil < 0 ? null : "";
    }

    private byte[] control(byte[] data) {
        return CtrlMsg.newBuilder().setMsgType(CtrlMsg.Type.Partitioning).setServerID(serverId)
                .setData(ByteString.copyFrom(data)).build().toByteArray();
    }
}
