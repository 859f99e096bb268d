package io.stanee.ra;

import java.util.List;
import java.util.function.Function;

/**
 * The message listener type of the adapter, implemented by the application's message-driven bean.
 * The adapter calls it from one thread per activation, so calls never overlap.
 */
public interface NatsMessageListener {

    /**
     * The subjects to subscribe to once connected. Called before any message is delivered; an exception makes
     * the adapter retry later (the application may still be recovering its state).
     */
    List<String> subjects();

    /**
     * Handles a batch of messages in arrival order and returns what to send. The adapter sends it only after
     * this call returned, so a reply never precedes the commit of the work that produced it.
     */
    List<OutboundMessage> onMessages(List<InboundMessage> batch);

    /**
     * Lets the application act on time (redeliveries, heartbeats): called every timer interval of the
     * activation spec, between batches. Returns what to send, like {@link #onMessages}.
     */
    List<OutboundMessage> onTimer();

    /**
     * Tells the application whether the NATS connection is currently up, and how many times it was re-established
     * since the first connect (a running total: called again whenever either changes).
     */
    void connectionChanged(boolean connected, long reconnects);

    /**
     * Tells the application the largest payload the NATS server it is connected to accepts (its INFO's
     * {@code max_payload}): a message it returns for publishing must fit, or the adapter cannot send it. Called
     * on the calling thread after every (re)connection, before further batches.
     */
    void natsMaxPayload(long maxPayload);

    /**
     * How to answer a request the adapter cannot queue because the application is behind (its queue is full):
     * the function gets the refused message and returns the reply to publish at once, or null to drop it. It is
     * called on NATS' dispatcher thread, beside the calls above, so it must be quick and touch no state but
     * what is safe to read from any thread. Asked once, after {@link #subjects}.
     */
    Function<InboundMessage, OutboundMessage> overloadAnswers();
}
