package io.stanee.core;

import io.stanee.store.StoreOp;

import java.util.List;

/**
 * Closes a client as a close request does: its subscriptions close (durables go offline) and it is
 * unregistered. Shared by the close request and the heartbeats that find a client gone.
 */
final class ClientCloser {

    private final ServerState state;
    private final SubscriptionCloser subscriptions;

    ClientCloser(ServerState state, SubscriptionCloser subscriptions) {
        this.state = state;
        this.subscriptions = subscriptions;
    }

    void close(Client client, Batch batch) {
        for (Subscription sub : List.copyOf(client.subscriptions)) {
            subscriptions.close(sub, false, batch);
        }
        state.removeClient(client);
        batch.onRollback(() -> state.addClient(client));
        batch.store(new StoreOp.DeleteClient(client.id()));
    }
}
