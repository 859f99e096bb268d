package io.stanee.testing;

import io.nats.streaming.Message;
import io.nats.streaming.NatsStreaming;
import io.nats.streaming.Options;
import io.nats.streaming.StreamingConnection;
import io.nats.streaming.Subscription;
import io.nats.streaming.SubscriptionOptions;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The official Java STAN client (io.nats:java-nats-streaming), pointed at the local NATS and stan-ee. */
public final class StanClients {

    public static final String CLUSTER_ID = "test-cluster";
    public static final String NATS_URL = "nats://127.0.0.1:4222";

    private StanClients() {
    }

    public static StreamingConnection connect(String clientId) throws IOException, InterruptedException {
        return connect(clientId, options -> { });
    }

    /** Connects with the tests' defaults, adjusted by {@code customizer}. */
    public static StreamingConnection connect(String clientId, java.util.function.Consumer<Options.Builder> customizer)
            throws IOException, InterruptedException {
        Options.Builder options = new Options.Builder()
                .natsUrl(NATS_URL)
                .clusterId(CLUSTER_ID)
                .clientId(clientId)
                .connectWait(Duration.ofSeconds(5))
                .pubAckWait(Duration.ofSeconds(30));
        customizer.accept(options);
        return NatsStreaming.connect(CLUSTER_ID, clientId, options.build());
    }

    /** Subscribes with deliver-all and waits until {@code expected} messages arrived (or the timeout passed). */
    public static List<Message> receiveAll(StreamingConnection connection, String channel, int expected,
                                           Duration timeout) throws Exception {
        List<Message> received = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(expected);
        Subscription subscription = connection.subscribe(channel, message -> {
            received.add(message);
            done.countDown();
        }, new SubscriptionOptions.Builder().deliverAllAvailable().build());
        try {
            done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return List.copyOf(received);
        } finally {
            subscription.unsubscribe();
        }
    }
}
