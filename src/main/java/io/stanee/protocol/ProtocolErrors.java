package io.stanee.protocol;

/** The error strings of the Go server, verbatim: clients compare and display them. */
public final class ProtocolErrors {

    public static final String INVALID_CONNECTION_REQUEST = "stan: invalid connection request";
    public static final String INVALID_CLIENT_ID =
            "stan: invalid clientID: only alphanumeric and `-` or `_` characters allowed";
    public static final String CLIENT_ID_ALREADY_REGISTERED = "stan: clientID already registered";
    public static final String INVALID_PUBLISH_REQUEST = "stan: invalid publish request";
    public static final String INVALID_SUBSCRIPTION_REQUEST = "stan: invalid subscription request";
    public static final String CLIENT_ID_MISSING = "stan: clientID missing";
    public static final String INVALID_ACK_WAIT = "stan: invalid ack wait time, should be >= 1s";
    public static final String INVALID_MAX_IN_FLIGHT = "stan: invalid MaxInflight, should be >= 1";
    public static final String INVALID_START_POSITION = "stan: invalid start position";
    public static final String INVALID_SUBJECT = "stan: invalid subject";
    public static final String UNKNOWN_CLIENT_ID = "stan: unknown clientID";
    public static final String INVALID_UNSUBSCRIBE_REQUEST = "stan: invalid unsubscribe request";
    public static final String UNKNOWN_CHANNEL = "stan: unknown channel";
    public static final String INVALID_SUBSCRIPTION = "stan: invalid subscription";
    public static final String INVALID_CLOSE_REQUEST = "stan: invalid close request";
    public static final String DUPLICATE_DURABLE = "stan: duplicate durable registration";
    public static final String DURABLE_QUEUE_NAME_COLON =
            "stan: durable name of a durable queue subscriber can't contain the character ':'";
    public static final String CLIENT_REPLACED = "client has been replaced or is no longer registered";
    public static final String TOO_MANY_CHANNELS = "too many channels";
    public static final String TOO_MANY_SUBSCRIPTIONS = "too many subscriptions per channel";

    // stan-ee's own: the Go server has no such checks

    public static final String TOO_MANY_CLIENTS = "stan: too many clients";
    /** The answer to a request that arrived while the server's inbound queue was full. */
    public static final String SERVER_OVERLOADED = "stan: server overloaded: request refused, retry later";

    /** A name longer than the store's columns (or {@code stan.max_name_length}) allow. */
    public static String nameTooLong(String what, int length, int max) {
        return String.format("stan: %s too long: %d characters, at most %d allowed", what, length, max);
    }

    /** A message whose delivery would not fit the NATS server's max_payload. */
    public static String tooLargeForNats(long deliveredBytes, long maxPayload) {
        return String.format("stan: message too large: delivered it would be %d bytes, over the NATS server's "
                + "max_payload of %d bytes", deliveredBytes, maxPayload);
    }

    /** A message the store's column cannot hold, with what lifts the cap. */
    public static String tooLargeForStore(long storedBytes, String column, long maxBytes, String remedy) {
        return String.format("stan: message too large for the store: %d bytes, but column %s holds at most %d "
                + "bytes; ask the DBA to run: %s", storedBytes, column, maxBytes, remedy);
    }

    private ProtocolErrors() {
    }
}
