package io.stanee.core;

import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.ProtocolErrors;
import io.stanee.protocol.Subjects;
import io.stanee.protocol.pb.Protocol.CloseResponse;
import io.stanee.protocol.pb.Protocol.ConnectResponse;
import io.stanee.protocol.pb.Protocol.PubAck;
import io.stanee.protocol.pb.Protocol.PubMsg;
import io.stanee.protocol.pb.Protocol.SubscriptionResponse;
import io.stanee.protocol.spb.ServerProtocol.ServerInfo;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;

/**
 * Answers to requests that arrived while the server was too far behind to queue them: each client learns at
 * once that its request was refused ({@link ProtocolErrors#SERVER_OVERLOADED}) and may retry, instead of waiting
 * for its timeout. Built from the request and the server's subjects alone, so it is safe on any thread.
 *
 * <p>A client PING is answered as alive: refusing it would make the client drop its connection, and it costs the
 * server nothing. Messages without a reply subject (acks) get nothing: the message is redelivered after its
 * ack wait, as if the ack had been lost.
 */
final class OverloadAnswers {

    private OverloadAnswers() {
    }

    static OutboundMessage answer(ServerInfo info, InboundMessage refused) {
        String subject = refused.subject();
        String reply = refused.replyTo();
        if (info == null || reply == null) {
            return null;
        }
        String error = ProtocolErrors.SERVER_OVERLOADED;
        byte[] answer;
        if (subject.startsWith(info.getPublish() + ".")) {
            String guid = guidOf(refused.data());
            if (guid == null) {
                return null;
            }
            answer = PubAck.newBuilder().setGuid(guid).setError(error).build().toByteArray();
        } else if (subject.equals(Subjects.pings(info))) {
            answer = new byte[0];
        } else if (subject.equals(info.getDiscovery())) {
            answer = ConnectResponse.newBuilder().setError(error).build().toByteArray();
        } else if (subject.equals(info.getSubscribe()) || subject.equals(info.getUnsubscribe())
                || subject.equals(info.getSubClose())) {
            answer = SubscriptionResponse.newBuilder().setError(error).build().toByteArray();
        } else if (subject.equals(info.getClose())) {
            answer = CloseResponse.newBuilder().setError(error).build().toByteArray();
        } else {
            return null;
        }
        return OutboundMessage.publish(reply, answer);
    }

    private static String guidOf(byte[] data) {
        try {
            return data == null ? null : PubMsg.parseFrom(data).getGuid();
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }
}
