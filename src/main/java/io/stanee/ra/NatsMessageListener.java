package io.stanee.ra;

import java.util.List;

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
}
