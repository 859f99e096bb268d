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

    private ProtocolErrors() {
    }
}
