package io.stanee.tools;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.NUID;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.nats.streaming.SubscriptionOptions;
import io.stanee.protocol.pb.Protocol;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The subscribing clients of {@code scale -lean}: the few requests of the STAN protocol a durable subscriber needs,
 * written out, for all clients over ONE NATS connection and ONE dispatcher thread.
 *
 * <p>Why: the load generator runs on the cores of the server it measures. An official StreamingConnection starts
 * 3-4 jnats dispatchers, so 300 clients are about 1,000 threads and a thread wake-up (futex) per delivered
 * message: profiled, the generator used 11.4 CPU-s (6.3 s of it system time, 40% of the samples in
 * futex/park/unpark) for a load on which the server spent 6 s. Here the messages of every client are routed by
 * inbox subject on the one dispatcher.
 *
 * <p>The server sees what java-nats-streaming 2.2.3 sends: per client a ConnectRequest (same client ID, protocol,
 * ping fields, a unique connID) and answered heartbeats; per durable the same SubscriptionRequest (deliver all
 * available, maxInFlight, the default ack wait, the durable name); an Ack per message; a CloseRequest per client at
 * the end (a close, not an unsubscribe: the durables stay). Official clients remain the default for the
 * subscribers and are always the publishers.
 *
 * <p>Left out: the client's PINGs. They let a client notice that the server is gone; the server does not expect
 * them (it checks its clients with its own heartbeats, which are answered here), and a lost NATS connection is
 * reported to {@code problems} instead.
 */
final class LeanStanClients implements AutoCloseable {

    /** As java-nats-streaming 2.2.3: NatsStreaming.PROTOCOL_ONE, DEFAULT_PING_INTERVAL, DEFAULT_MAX_PINGS_OUT. */
    private static final int PROTOCOL = 1;
    private static final int PING_INTERVAL_SECONDS = 5;
    private static final int PING_MAX_OUT = 3;
    private static final String DISCOVER_PREFIX = "_STAN.discover";
    private static final byte[] EMPTY = new byte[0];

    /** Where a lean subscription hands each message: its sequence and the way to acknowledge it. */
    @FunctionalInterface
    interface Delivery {
        void onMessage(long sequence, Scale.Ack ack);
    }

    private final String cluster;
    private final Duration requestWait;
    private final Consumer<String> problems;
    private final Connection connection;
    private final Dispatcher dispatcher;
    private final List<Client> clients = new ArrayList<>();
    private volatile boolean closing;

    /**
     * Opens the shared NATS connection to {@code servers} (comma-separated) and its dispatcher. {@code requestWait}
     * bounds the connect and close requests (as the official client's connectWait); {@code problems} hears of
     * what would fail the run: a lost connection, a message that does not decode.
     */
    LeanStanClients(String servers, String cluster, Duration requestWait, Consumer<String> problems)
            throws IOException, InterruptedException {
        this.cluster = cluster;
        this.requestWait = requestWait;
        this.problems = problems;
        ConnectionListener listener = (nats, event) -> {
            if (event == ConnectionListener.Events.DISCONNECTED && !closing) {
                problems.accept("The NATS connection of the lean subscribers was lost");
            }
        };
        this.connection = Nats.connect(new io.nats.client.Options.Builder().servers(servers.split(","))
                .connectionName("scale-lean-subscribers").connectionListener(listener).build());
        this.dispatcher = connection.createDispatcher();
        // as the official client's dispatchers: no message is dropped for a slow handler
        dispatcher.setPendingLimits(-1, -1);
    }

    /** Connects streaming client {@code clientId}: its heartbeat inbox, then the ConnectRequest. */
    Client connect(String clientId) throws IOException, InterruptedException {
        String heartbeatInbox = connection.createInbox();
        Subscription heartbeats = dispatcher.subscribe(heartbeatInbox, this::answerHeartbeat);
        Protocol.ConnectRequest request = Protocol.ConnectRequest.newBuilder()
                .setClientID(clientId)
                .setHeartbeatInbox(heartbeatInbox)
                .setProtocol(PROTOCOL)
                .setConnID(ByteString.copyFromUtf8(NUID.nextGlobal()))
                .setPingInterval(PING_INTERVAL_SECONDS)
                .setPingMaxOut(PING_MAX_OUT)
                .build();
        Protocol.ConnectResponse response;
        try {
            Message reply = connection.request(DISCOVER_PREFIX + "." + cluster, request.toByteArray(), requestWait);
            if (reply == null) {
                throw new IOException("stan: connect request timeout (possibly wrong cluster ID?)");
            }
            response = Protocol.ConnectResponse.parseFrom(reply.getData());
            if (!response.getError().isEmpty()) {
                throw new IOException(response.getError());
            }
        } catch (IOException | RuntimeException e) {
            dispatcher.unsubscribe(heartbeats);
            throw e;
        }
        Client client = new Client(clientId, response.getSubRequests(), response.getCloseRequests(), heartbeats);
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** The clients connected so far, to close at the end. */
    List<Client> clients() {
        synchronized (clients) {
            return new ArrayList<>(clients);
        }
    }

    /** Closes the NATS connection (and so the dispatcher); the clients' CloseRequests go first. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        connection.close();
    }

    /** The server's heartbeat is a request: an empty reply says the client is alive. */
    private void answerHeartbeat(Message heartbeat) {
        if (heartbeat.getReplyTo() == null || closing) {
            return;
        }
        try {
            connection.publish(heartbeat.getReplyTo(), EMPTY);
        } catch (IllegalStateException e) {
            // closed meanwhile: only at the end, when nothing depends on it any more
        }
    }

    /** One streaming client: its client ID, the server's request subjects and its subscriptions on the dispatcher. */
    final class Client {
        private final String clientId;
        private final String subRequests;
        private final String closeRequests;
        private final List<Subscription> inboxes = new ArrayList<>();

        private Client(String clientId, String subRequests, String closeRequests, Subscription heartbeats) {
            this.clientId = clientId;
            this.subRequests = subRequests;
            this.closeRequests = closeRequests;
            inboxes.add(heartbeats);
        }

        String clientId() {
            return clientId;
        }

        /**
         * Opens durable {@code durableName} on {@code channel} from the first message on, manual acks: the inbox
         * is subscribed on the dispatcher before the SubscriptionRequest, as the official client does.
         */
        void subscribe(String channel, String durableName, int maxInFlight, Delivery delivery)
                throws IOException, InterruptedException {
            String inbox = connection.createInbox();
            Inbox handler = new Inbox(delivery);
            Subscription subscription = dispatcher.subscribe(inbox, handler::onMessage);
            Protocol.SubscriptionRequest request = Protocol.SubscriptionRequest.newBuilder()
                    .setClientID(clientId)
                    .setSubject(channel)
                    .setInbox(inbox)
                    .setMaxInFlight(maxInFlight)
                    .setAckWaitInSecs((int) SubscriptionOptions.DEFAULT_ACK_WAIT.toSeconds())
                    .setDurableName(durableName)
                    .setStartPosition(Protocol.StartPosition.First)
                    .build();
            boolean subscribed = false;
            try {
                Message reply = connection.request(subRequests, request.toByteArray(),
                        SubscriptionOptions.DEFAULT_SUBSCRIPTION_TIMEOUT);
                if (reply == null) {
                    throw new IOException("stan: subscribe request timeout");
                }
                Protocol.SubscriptionResponse response = Protocol.SubscriptionResponse.parseFrom(reply.getData());
                if (!response.getError().isEmpty()) {
                    throw new IOException(response.getError());
                }
                handler.ackInbox.complete(response.getAckInbox());
                subscribed = true;
            } finally {
                if (!subscribed) { // whatever ended the request (an interrupt too): no message may wait for it
                    handler.ackInbox.complete(null);
                    dispatcher.unsubscribe(subscription);
                }
            }
            synchronized (inboxes) {
                inboxes.add(subscription);
            }
        }

        /**
         * Stops taking messages and heartbeats (as the official client closes its dispatchers first), then sends
         * the CloseRequest; an error in the CloseResponse is thrown.
         */
        void close() throws IOException, InterruptedException {
            synchronized (inboxes) {
                inboxes.forEach(dispatcher::unsubscribe);
                inboxes.clear();
            }
            byte[] request = Protocol.CloseRequest.newBuilder().setClientID(clientId).build().toByteArray();
            Message reply = connection.request(closeRequests, request, requestWait);
            if (reply == null) {
                throw new IOException("stan: close request timeout");
            }
            if (reply.getData() != null && reply.getData().length > 0) {
                Protocol.CloseResponse response = Protocol.CloseResponse.parseFrom(reply.getData());
                if (!response.getError().isEmpty()) {
                    throw new IOException(response.getError());
                }
            }
        }
    }

    /** The delivery inbox of one subscription: decodes each MsgProto, hands it on, acks it on the ack inbox. */
    private final class Inbox {
        private final Delivery delivery;
        /**
         * Known once the SubscriptionResponse is read (null if the subscribe failed). The server delivers only after
         * answering, but the answer and the messages are handled on different threads here, so the first message
         * may wait an instant for it, as the official client's dispatcher waits for the subscription's lock.
         */
        final CompletableFuture<String> ackInbox = new CompletableFuture<>();

        Inbox(Delivery delivery) {
            this.delivery = delivery;
        }

        void onMessage(Message message) {
            Protocol.MsgProto msg;
            try {
                msg = Protocol.MsgProto.parseFrom(message.getData());
            } catch (InvalidProtocolBufferException e) {
                problems.accept("A message on " + message.getSubject() + " is not a MsgProto: " + Tools.reason(e));
                return;
            }
            String acks = ackInbox.join();
            if (acks == null) {
                return;
            }
            delivery.onMessage(msg.getSequence(), () -> {
                byte[] ack = Protocol.Ack.newBuilder().setSubject(msg.getSubject()).setSequence(msg.getSequence())
                        .build().toByteArray();
                try {
                    connection.publish(acks, ack);
                } catch (IllegalStateException e) {
                    throw new IOException(Tools.reason(e), e);
                }
            });
        }
    }
}
