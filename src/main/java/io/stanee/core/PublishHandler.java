package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.ChannelNames;
import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.PubMsgs;
import io.stanee.protocol.pb.Protocol.MsgProto;
import io.stanee.protocol.pb.Protocol.PubAck;
import io.stanee.protocol.pb.Protocol.PubMsg;
import io.stanee.protocol.spb.ServerProtocol.CtrlMsg;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import io.stanee.store.MessageSize;
import io.stanee.store.StoreOp;

import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/** Publish: validate, give the message the channel's next sequence, store it, PubAck after the commit. */
final class PublishHandler {

    private static final Logger LOG = Logger.getLogger(PublishHandler.class.getName());

    private final ServerState state;
    private final LongSupplier nanoClock;

    PublishHandler(ServerState state, LongSupplier nanoClock) {
        this.state = state;
        this.nanoClock = nanoClock;
    }

    void publish(InboundMessage message, Batch batch) {
        PubMsg pub;
        try {
            pub = PubMsgs.parseSharing(message.data()); // the payload is copied once, into the stored MsgProto
        } catch (InvalidProtocolBufferException e) {
            if (!isControlMessage(message.data())) {
                batch.reply(pubAck(message, "", ProtocolErrors.INVALID_PUBLISH_REQUEST));
            }
            return;
        }
        batch.expectFailureReply(error -> pubAck(message, pub.getGuid(), error));
        state.stats.messagesIn.increment();
        state.stats.bytesIn.add(message.data().length); // the whole PubMsg, as the Go server's in_bytes
        if (pub.getGuid().isEmpty() || !ChannelNames.isValidLiteral(pub.getSubject()) || !knownClient(pub)) {
            batch.reply(pubAck(message, pub.getGuid(), ProtocolErrors.INVALID_PUBLISH_REQUEST));
            return;
        }
        long now = nanoClock.getAsLong(); // one reading for the whole publish: Instant.now() is a clock call
        String refused = refusal(pub, now);
        if (refused != null) {
            batch.reply(pubAck(message, pub.getGuid(), refused));
            return;
        }
        Channel channel;
        try {
            channel = state.channel(pub.getSubject(), now, batch);
        } catch (RequestRejected e) {
            batch.reply(pubAck(message, pub.getGuid(), e.getMessage()));
            return;
        }
        store(channel, pub, now, batch);
        batch.reply(pubAck(message, pub.getGuid(), ""));
        batch.acknowledgesPublish(message.receivedNanos());
    }

    /**
     * stan-ee's own checks, before anything is stored (a new channel included): a channel name the schema cannot
     * hold, a message the store's column cannot hold or whose delivery would not fit NATS' max_payload.
     */
    private String refusal(PubMsg pub, long now) {
        String tooLong = state.requests.nameTooLong("channel name", pub.getSubject());
        if (tooLong != null) {
            return tooLong;
        }
        Channel existing = state.channels.get(pub.getSubject());
        if (existing != null && existing.lastUncertain()) {
            catchUpWithStore(existing); // the exact next sequence: its size is part of the message's
        }
        return existing == null
                ? state.requests.messageTooLarge(pub, 1, now)
                : state.requests.messageTooLarge(pub, existing.last() + 1, existing.timestampFor(now));
    }

    private void store(Channel channel, PubMsg pub, long now, Batch batch) {
        if (channel.lastUncertain()) {
            catchUpWithStore(channel);
        }
        long sequence = channel.last() + 1;
        long timestamp = channel.timestampFor(now);
        byte[] data = MsgProto.newBuilder()
                .setSequence(sequence)
                .setSubject(pub.getSubject())
                .setReply(pub.getReply())
                .setData(pub.getData())
                .setTimestamp(timestamp)
                .build()
                .toByteArray();
        channel.append(sequence, timestamp, data, now, batch);
        batch.published(channel);
        batch.store(new StoreOp.AddMessage(channel.id, sequence, timestamp, data));
        channel.subscriptions().forEach(batch::mayDeliver);
        for (QueueGroup group : channel.groups()) {
            if (group.hasMembers()) {
                batch.mayDeliver(group.anyMember()); // delivery goes to the group, through any member
            }
        }
    }

    /**
     * Takes in what the store committed of a failed batch after all: those messages (never acknowledged to
     * their publisher, as after a crash) are the channel's, and the next publish follows them instead of
     * colliding with their sequences. They are delivered from the store like any message not in the window.
     */
    private void catchUpWithStore(Channel channel) {
        long stored = state.store.lastSequence(channel.id);
        List<MessageSize> committedAfterAll = List.of();
        if (stored > channel.last()) {
            long unknown = stored - channel.last();
            LOG.warning(() -> "channel " + channel.name + ": " + unknown + " message(s) of a failed batch were "
                    + "committed after all; continuing after sequence " + stored);
            committedAfterAll = state.store.messageSizes(channel.id, channel.last() + 1, (int) unknown);
        }
        channel.caughtUp(stored, committedAfterAll);
    }

    /** With a connID (protocol 1) the client is known by it alone, so a replaced connection is refused. */
    private boolean knownClient(PubMsg pub) {
        if (!pub.getConnID().isEmpty()) {
            return state.clientsByConnId.containsKey(pub.getConnID());
        }
        return state.clients.containsKey(pub.getClientID());
    }

    private static boolean isControlMessage(byte[] data) {
        try {
            CtrlMsg.parseFrom(data);
            return data.length > 0;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    private static OutboundMessage pubAck(InboundMessage message, String guid, String error) {
        PubAck.Builder ack = PubAck.newBuilder().setGuid(guid);
        if (!error.isEmpty()) {
            ack.setError(error);
        }
        return OutboundMessage.publish(message.replyTo(), ack.build().toByteArray());
    }
}
