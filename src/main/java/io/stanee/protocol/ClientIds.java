package io.stanee.protocol;

import java.util.regex.Pattern;

/** The Go server's rule for client IDs: letters, digits, '-' and '_' only. */
public final class ClientIds {

    private static final Pattern VALID = Pattern.compile("^[a-zA-Z0-9_-]+$");

    private ClientIds() {
    }

    public static boolean isValid(String clientId) {
        return clientId != null && VALID.matcher(clientId).matches();
    }
}
