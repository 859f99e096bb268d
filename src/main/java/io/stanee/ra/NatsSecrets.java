package io.stanee.ra;

/**
 * How stan-ee proves who it is to NATS: the Go server's {@code user}/{@code password}, {@code token},
 * {@code nkey_seed_file} and {@code credentials} (a file with the user JWT and its NKey seed). Blank means unset.
 * {@link #toString()} shows which are set, never their values.
 */
public record NatsSecrets(String user, String password, String token, String nkeySeedFile, String credentials) {

    public static final NatsSecrets NONE = new NatsSecrets(null, null, null, null, null);

    static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** The server.xml variables of the secrets in use, for messages: "stan.user, stan.password". */
    String optionsInUse() {
        StringBuilder names = new StringBuilder();
        append(names, user, "stan.user");
        append(names, password, "stan.password");
        append(names, token, "stan.token");
        append(names, nkeySeedFile, "stan.nkey_seed_file");
        append(names, credentials, "stan.credentials");
        return names.toString();
    }

    private static void append(StringBuilder names, String value, String option) {
        if (isSet(value)) {
            names.append(names.isEmpty() ? "" : ", ").append(option);
        }
    }

    @Override
    public String toString() {
        return "NatsSecrets[" + (optionsInUse().isEmpty() ? "none" : optionsInUse()) + "]";
    }
}
