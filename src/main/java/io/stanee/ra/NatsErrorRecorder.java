package io.stanee.ra;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;

import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * jnats' error listener for the adapter's connection: keeps the last exception jnats reported (a failed connect
 * only says "Unable to connect to NATS servers"; the TLS or socket failure behind it arrives here), and logs what
 * the NATS server reports (-ERR), redacted and once while it repeats, instead of jnats' default of a SEVERE line
 * per attempt; and says when jnats itself dropped messages past the dispatcher's pending limits (it never should:
 * the dispatcher only queues, see NatsActivation).
 */
final class NatsErrorRecorder implements ErrorListener {

    private static final Logger LOG = Logger.getLogger(NatsErrorRecorder.class.getName());

    private final UnaryOperator<String> redaction;
    private volatile Exception lastException;
    private volatile String lastError;

    NatsErrorRecorder(UnaryOperator<String> redaction) {
        this.redaction = redaction;
    }

    /** The last exception reported since the last {@link #clear()}, or null. */
    Exception lastException() {
        return lastException;
    }

    void clear() {
        lastException = null;
    }

    @Override
    public void errorOccurred(Connection conn, String error) {
        if (!error.equals(lastError)) {
            lastError = error;
            LOG.warning(() -> "the NATS server reported: " + redaction.apply(error));
        }
    }

    @Override
    public void exceptionOccurred(Connection conn, Exception exp) {
        lastException = exp;
        LOG.fine(() -> "NATS connection: " + redaction.apply(String.valueOf(exp)));
    }

    @Override
    public void slowConsumerDetected(Connection conn, Consumer consumer) {
        LOG.severe(() -> "jnats dropped messages past the dispatcher's pending limits (" + consumer.getPendingMessageLimit()
                + " messages, " + consumer.getPendingByteLimit() + " bytes): " + consumer.getDroppedCount()
                + " dropped so far; raise stan.pending_msgs_limit/stan.pending_bytes_limit");
    }
}
