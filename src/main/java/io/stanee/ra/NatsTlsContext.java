package io.stanee.ra;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import static io.stanee.ra.NatsSecrets.isSet;

/**
 * The SSL context of the NATS connection, made from {@link NatsTlsFiles}: the client certificate and key (PEM or
 * a key store) for mutual TLS, the CA (PEM or a trust store) that signed the NATS server's certificate; what is not
 * given falls back to the JVM's defaults (no client certificate, the JVM's CAs), like the Go client.
 */
final class NatsTlsContext {

    private static final char[] IN_MEMORY = new char[0];

    private NatsTlsContext() {
    }

    /** The context, or null when the settings ask for no TLS. */
    static SSLContext create(NatsTlsFiles tls) throws NatsSettingsException {
        if (!tls.tlsWanted()) {
            return null;
        }
        if (isSet(tls.clientCert()) != isSet(tls.clientKey())) {
            throw new NatsSettingsException("stan.tls_client_cert and stan.tls_client_key go together: set both "
                    + "for mutual TLS, or neither");
        }
        if (isSet(tls.clientCert()) && isSet(tls.keystore())) {
            throw new NatsSettingsException("stan.tls_client_cert and stan.tls_keystore are both set: give the "
                    + "client certificate one way only");
        }
        if (isSet(tls.clientCacert()) && isSet(tls.truststore())) {
            throw new NatsSettingsException("stan.tls_client_cacert and stan.tls_truststore are both set: give the "
                    + "CA one way only");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(tls), trustManagers(tls), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new NatsSettingsException("TLS (" + tls.optionsInUse() + "): " + e.getClass().getSimpleName()
                    + ": " + e.getMessage());
        }
    }

    private static KeyManager[] keyManagers(NatsTlsFiles tls) throws NatsSettingsException, GeneralSecurityException {
        KeyStore keys;
        char[] password;
        if (isSet(tls.clientCert())) {
            List<X509Certificate> chain = PemFiles.certificates(tls.clientCert(), "stan.tls_client_cert");
            PrivateKey key = PemFiles.privateKey(tls.clientKey(), chain.get(0).getPublicKey().getAlgorithm(),
                    "stan.tls_client_key");
            keys = emptyStore();
            keys.setKeyEntry("client", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
            password = IN_MEMORY;
        } else if (isSet(tls.keystore())) {
            password = chars(tls.keystorePassword());
            keys = load(tls.keystore(), password, "stan.tls_keystore", "stan.tls_keystore_password");
        } else {
            return null;
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, password);
        return factory.getKeyManagers();
    }

    private static TrustManager[] trustManagers(NatsTlsFiles tls) throws NatsSettingsException,
            GeneralSecurityException {
        KeyStore trusted;
        if (isSet(tls.clientCacert())) {
            trusted = emptyStore();
            int i = 0;
            for (X509Certificate ca : PemFiles.certificates(tls.clientCacert(), "stan.tls_client_cacert")) {
                trusted.setCertificateEntry("ca-" + i++, ca);
            }
        } else if (isSet(tls.truststore())) {
            trusted = load(tls.truststore(), chars(tls.truststorePassword()), "stan.tls_truststore",
                    "stan.tls_truststore_password");
        } else {
            return null;
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory.getTrustManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        return store;
    }

    /** A PKCS12 or JKS file (the JDK recognises the type). */
    private static KeyStore load(String file, char[] password, String option, String passwordOption)
            throws NatsSettingsException {
        try {
            return KeyStore.getInstance(new File(file), password);
        } catch (IOException e) {
            boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).contains("password");
            throw new NatsSettingsException(option + ": cannot open " + file + " ("
                    + (badPassword ? "wrong " + passwordOption : e.getClass().getSimpleName()) + ")");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new NatsSettingsException(option + ": " + file + " is no PKCS12 or JKS key store ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static char[] chars(String password) {
        return password == null ? IN_MEMORY : password.toCharArray();
    }
}
