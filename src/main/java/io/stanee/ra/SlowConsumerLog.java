package io.stanee.ra;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;

import java.util.logging.Logger;

/**
 * Logs what jnats reports about its own connection. A client-side slow consumer means jnats dropped messages
 * of the dispatcher past its pending limits: it should never happen, since the dispatcher's handler never
 * blocks (see {@link NatsActivation}); if it does, it is said loudly, because the dropped requests get no
 * answer.
 */
final class SlowConsumerLog implements ErrorListener {

    private static final Logger LOG = Logger.getLogger(SlowConsumerLog.class.getName());

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        LOG.severe(() -> "jnats dropped messages past the dispatcher's pending limits (" + consumer.getPendingMessageLimit()
                + " messages, " + consumer.getPendingByteLimit() + " bytes): " + consumer.getDroppedCount()
                + " dropped so far; raise pendingMessagesLimit/pendingBytesLimit of the activation spec");
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        LOG.warning(() -> "NATS error: " + error);
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        LOG.warning(() -> "NATS connection exception: " + exp);
    }
}
