package io.stanee.core;

/** A request the server answers with an error; the text is what the client sees. */
final class RequestRejected extends RuntimeException {

    RequestRejected(String clientVisibleError) {
        super(clientVisibleError, null, false, false);
    }
}
