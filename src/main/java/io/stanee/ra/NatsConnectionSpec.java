package io.stanee.ra;

import io.nats.client.AuthenticationException;
import io.nats.client.Options;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.security.cert.CertificateException;
import java.util.regex.Pattern;

/**
 * Where and how the adapter connects to NATS: the server URLs, the connection's name, the identity
 * ({@link NatsSecrets}) and the TLS material ({@link NatsTlsFiles}). Makes the jnats options and explains a
 * failed connection attempt in words an operator can act on, naming the server.xml variables involved and
 * never a secret (URLs are redacted as the Go server does).
 */
public final class NatsConnectionSpec {

    private final String servers;
    private final String connectionName;
    private final NatsSecrets secrets;
    private final NatsTlsFiles tls;
    private final NatsErrorRecorder errors = new NatsErrorRecorder(this::redact);

    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s,\\]]+@");

    public NatsConnectionSpec(String servers, String connectionName, NatsSecrets secrets, NatsTlsFiles tls) {
        this.servers = servers;
        this.connectionName = connectionName;
        this.secrets = secrets;
        this.tls = tls;
    }

    public NatsSecrets secrets() {
        return secrets;
    }

    public NatsTlsFiles tls() {
        return tls;
    }

    /** The options for jnats, with the files read now (a wrong path fails here, with its option's name). */
    public Options.Builder options() throws NatsSettingsException {
        Options.Builder options = new Options.Builder()
                .servers(servers.split(","))
                .connectionName(connectionName)
                .errorListener(errors);
        NatsAuthentication.apply(options, secrets);
        SSLContext context = NatsTlsContext.create(tls);
        if (context != null) {
            options.sslContext(context);
        }
        return options;
    }

    /** The server URLs as they may be logged. */
    public String redactedServers() {
        return RedactedUrls.redactList(servers);
    }

    /**
     * Why a connection attempt failed, for the log: what NATS said, which options are concerned, no secret. Uses
     * what jnats reported during the attempt when its own exception says only that it could not connect.
     */
    public String explain(Exception thrown) {
        if (thrown instanceof NatsSettingsException) {
            return redact(thrown.getMessage());
        }
        Exception reported = errors.lastException();
        errors.clear();
        Exception failure = reported != null && String.valueOf(thrown.getMessage()).startsWith("Unable to connect")
                ? reported : thrown;
        String said = redact(rootMessage(failure));
        if (failure instanceof AuthenticationException || said.toLowerCase().contains("authorization violation")
                || said.toLowerCase().contains("authentication")) {
            String inUse = secrets.optionsInUse();
            return "NATS at " + redactedServers() + " refused stan-ee's credentials ("
                    + (inUse.isEmpty() ? "none set: the server wants stan.user/stan.password, stan.token, "
                    + "stan.nkey_seed_file or stan.credentials" : inUse) + "): " + said;
        }
        if (hasCause(failure, SSLException.class) || hasCause(failure, CertificateException.class)) {
            return "TLS with NATS at " + redactedServers() + " failed ("
                    + (tls.optionsInUse().isEmpty() ? "no TLS option set" : tls.optionsInUse()) + "): " + said;
        }
        if (said.contains("SSL required by server") || said.contains("SSL connection wanted by server")) {
            return "NATS at " + redactedServers() + " requires TLS: set stan.secure=true or the stan.tls_* "
                    + "options (" + said + ")";
        }
        return "NATS not reachable at " + redactedServers() + " (" + said + ")";
    }

    @Override
    public String toString() {
        return "NatsConnectionSpec[" + redactedServers() + ", " + connectionName + ", " + secrets + ", " + tls + "]";
    }

    /** Removes user information from any URL in a message, and any secret value that slipped in. */
    String redact(String message) {
        String redacted = USER_INFO.matcher(String.valueOf(message)).replaceAll("$1[REDACTED]@");
        for (String secret : new String[] {secrets.password(), secrets.token(), tls.keystorePassword(),
                tls.truststorePassword()}) {
            if (NatsSecrets.isSet(secret) && secret.length() >= 3) {
                redacted = redacted.replace(secret, "[REDACTED]");
            }
        }
        return redacted;
    }

    private static String rootMessage(Throwable failure) {
        Throwable deepest = failure;
        String message = failure.getMessage();
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
            if (deepest.getMessage() != null) {
                message = deepest.getMessage();
            }
        }
        return message == null ? failure.getClass().getSimpleName() : message;
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
