package io.stanee.ra;

/**
 * The TLS material of the NATS connection. The Go server's PEM files ({@code tls_client_cert},
 * {@code tls_client_key}: mutual TLS; {@code tls_client_cacert}: the CA that signed the NATS server's certificate)
 * or, the Java way, a key store and a trust store (PKCS12 or JKS, e.g. made with keytool or Liberty's
 * securityUtility createSSLCertificate) with their passwords. {@code secure} asks for TLS even without any of
 * these (trusting the JVM's CAs). Blank means unset; {@link #toString()} never shows a password.
 */
public record NatsTlsFiles(boolean secure, String clientCert, String clientKey, String clientCacert,
                           String keystore, String keystorePassword, String truststore, String truststorePassword) {

    public static final NatsTlsFiles NONE = new NatsTlsFiles(false, null, null, null, null, null, null, null);

    /** Whether the connection must use TLS. */
    boolean tlsWanted() {
        return secure || NatsSecrets.isSet(clientCert) || NatsSecrets.isSet(clientKey)
                || NatsSecrets.isSet(clientCacert) || NatsSecrets.isSet(keystore) || NatsSecrets.isSet(truststore);
    }

    /** The server.xml variables in use, for messages. */
    String optionsInUse() {
        StringBuilder names = new StringBuilder(secure ? "stan.secure" : "");
        append(names, clientCert, "stan.tls_client_cert");
        append(names, clientKey, "stan.tls_client_key");
        append(names, clientCacert, "stan.tls_client_cacert");
        append(names, keystore, "stan.tls_keystore");
        append(names, truststore, "stan.tls_truststore");
        return names.toString();
    }

    private static void append(StringBuilder names, String value, String option) {
        if (NatsSecrets.isSet(value)) {
            names.append(names.isEmpty() ? "" : ", ").append(option);
        }
    }

    @Override
    public String toString() {
        return "NatsTlsFiles[" + (optionsInUse().isEmpty() ? "none" : optionsInUse()) + "]";
    }
}
