package io.stanee.ra;

/**
 * A NATS connection setting that cannot be used (a missing or unreadable file, a file without the expected
 * content). The message names the server.xml variable and never contains a secret.
 */
public class NatsSettingsException extends Exception {

    public NatsSettingsException(String message) {
        super(message);
    }
}
