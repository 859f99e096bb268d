package io.stanee.core;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stanee.protocol.GoTime;
import io.stanee.protocol.ServerSubjects;
import io.stanee.protocol.spb.ServerProtocol.CtrlMsg;
import io.stanee.ra.OutboundMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * This server's part in an FT group's heartbeats (the Go server's ft.go): the active sends a heartbeat carrying
 * its activation time every second; a standby that hears none for 1.25 s goes for the store lock; an active that
 * hears another active steps down if that one activated earlier. Both intervals vary by up to 10% per server,
 * as in Go, so that two standbys do not move in step.
 */
final class FtGroupMember {

    private static final Logger LOG = Logger.getLogger(FtGroupMember.class.getName());

    /** Go: ftDefaultHBInterval. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** Go: ftDefaultHBMissedInterval. */
    static final Duration MISSED_INTERVAL = Duration.ofMillis(1250);

    private final String subject;
    private final String serverId;
    private final long heartbeatInterval;
    private final long missedInterval;

    private long lastHeard;
    private Instant activationTime;
    private byte[] heartbeat;
    private long nextHeartbeat;

    FtGroupMember(String clusterId, String ftGroup, String serverId, long now) {
        this.subject = ServerSubjects.ftHeartbeats(clusterId, ftGroup);
        this.serverId = serverId;
        this.heartbeatInterval = randomized(HEARTBEAT_INTERVAL);
        this.missedInterval = randomized(MISSED_INTERVAL);
        this.lastHeard = now;
    }

    /** Go's ftGetRandomInterval: the interval, give or take up to 10%. */
    private static long randomized(Duration interval) {
        long tenPercent = interval.toNanos() / 10;
        long random = ThreadLocalRandom.current().nextLong(tenPercent);
        return ThreadLocalRandom.current().nextBoolean() ? interval.toNanos() + random : interval.toNanos() - random;
    }

    String subject() {
        return subject;
    }

    /** A standby's question: has the active been silent long enough to go for the lock? */
    boolean activeSilent(long now) {
        return now - lastHeard >= missedInterval;
    }

    /** Starts the wait for the active's silence again (after a lock attempt that found a live owner). */
    void waitAgain(long now) {
        lastHeard = now;
    }

    /**
     * A message on the FT subject. Returns the reason to step down when it is another active's heartbeat and that
     * one activated before this server did (Go aborts then); null otherwise.
     */
    String heard(byte[] data, long now) {
        CtrlMsg message;
        try {
            message = CtrlMsg.parseFrom(data == null ? new byte[0] : data);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
        if (message.getMsgType() != CtrlMsg.Type.FTHeartbeat || message.getServerID().equals(serverId)) {
            return null;
        }
        lastHeard = now;
        if (activationTime == null) {
            return null;
        }
        String claim = String.format("ft: serverID %s claims to be active", ServerState.quote(message.getServerID()));
        try {
            if (GoTime.unmarshal(message.getData().toByteArray()).isBefore(activationTime)) {
                return claim + ", aborting";
            }
            LOG.severe(claim);
        } catch (IllegalArgumentException e) {
            LOG.severe("Error decoding activation time: " + e.getMessage());
        }
        return null;
    }

    /** This server became the active one: from now on it sends heartbeats. */
    void activated(Instant when, long now) {
        activationTime = when;
        heartbeat = CtrlMsg.newBuilder()
                .setMsgType(CtrlMsg.Type.FTHeartbeat)
                .setServerID(serverId)
                .setData(ByteString.copyFrom(GoTime.marshal(when)))
                .build().toByteArray();
        nextHeartbeat = now;
    }

    /** The active's heartbeat when one is due, else null. */
    OutboundMessage heartbeatIfDue(long now) {
        if (heartbeat == null || now - nextHeartbeat < 0) {
            return null;
        }
        nextHeartbeat = now + heartbeatInterval;
        return OutboundMessage.publish(subject, heartbeat);
    }
}
