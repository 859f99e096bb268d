package io.stanee.core;

import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;

import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The server's heartbeats to its clients: every hb_interval an empty request to the client's heartbeat inbox,
 * answered within hb_timeout or counted as failed; a client that fails more than hb_fail_count in a row is
 * closed as if it had sent a close request.
 */
final class Heartbeats {

    private static final Logger LOG = Logger.getLogger(Heartbeats.class.getName());
    static final String ANSWER_PREFIX = StanServer.INTERNAL_PREFIX + "hb.";

    private final ServerState state;
    private final ClientCloser closer;
    private final LongSupplier nanoClock;

    Heartbeats(ServerState state, ClientCloser closer, LongSupplier nanoClock) {
        this.state = state;
        this.closer = closer;
        this.nanoClock = nanoClock;
    }

    long firstHeartbeat() {
        return nanoClock.getAsLong() + state.settings.heartbeatInterval().toNanos();
    }

    /** Sends the heartbeats that are due (called on the timer). */
    void sendDue(Batch batch) {
        long now = nanoClock.getAsLong();
        for (Client client : state.clients.values()) {
            if (!client.heartbeatOutstanding && client.nextHeartbeat <= now) {
                client.heartbeatOutstanding = true;
                batch.onRollback(() -> client.heartbeatOutstanding = false);
                batch.reply(OutboundMessage.request(client.info.getHbInbox(), new byte[0],
                        state.settings.heartbeatTimeout().toMillis(),
                        ANSWER_PREFIX + client.generation + "." + client.id()));
            }
        }
    }

    /** A client answered a heartbeat (data present) or did not (null data). */
    void answered(InboundMessage answer, Batch batch) {
        String rest = answer.subject().substring(ANSWER_PREFIX.length());
        int dot = rest.indexOf('.');
        long generation = Long.parseLong(rest.substring(0, dot));
        Client client = state.clients.get(rest.substring(dot + 1));
        if (client == null || client.generation != generation) {
            return; // closed or replaced meanwhile
        }
        int failedBefore = client.failedHeartbeats;
        long nextBefore = client.nextHeartbeat;
        batch.onRollback(() -> {
            client.heartbeatOutstanding = true;
            client.failedHeartbeats = failedBefore;
            client.nextHeartbeat = nextBefore;
        });
        client.heartbeatOutstanding = false;
        client.nextHeartbeat = nanoClock.getAsLong() + state.settings.heartbeatInterval().toNanos();
        if (answer.data() != null) {
            client.failedHeartbeats = 0;
            return;
        }
        client.failedHeartbeats++;
        if (client.failedHeartbeats > state.settings.heartbeatFailCount()) {
            LOG.info(() -> "[Client:" + client.id() + "] Timed out on heartbeats");
            closer.close(client, batch);
        }
    }

    /** A PING from a client that fails heartbeats: check it again right away (Go: re-arms the timer to 1 ms). */
    void recheckSoon(Client client, Batch batch) {
        if (client.failingHeartbeats() && !client.heartbeatOutstanding) {
            long before = client.nextHeartbeat;
            client.nextHeartbeat = nanoClock.getAsLong();
            batch.onRollback(() -> client.nextHeartbeat = before);
        }
    }

}
