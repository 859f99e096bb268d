package io.stanee.ra;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import jakarta.resource.spi.work.WorkException;
import jakarta.resource.spi.work.WorkManager;

import javax.transaction.xa.XAResource;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The adapter: holds the NATS connection settings (from server.xml) and runs one {@link NatsActivation} per
 * activated endpoint, each with its own NATS connection and worker.
 */
public class NatsResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(NatsResourceAdapter.class.getName());

    // server.xml sets both (variables stan.nats_server and stan.cluster_id): their defaults are there, in one place
    private String serverUrl;
    private String connectionName;
    private String user;
    private String password;
    private String token;
    private String nkeySeedFile;
    private String credentials;
    private Boolean secure = Boolean.FALSE;
    private String tlsClientCert;
    private String tlsClientKey;
    private String tlsClientCacert;
    private String tlsKeystore;
    private String tlsKeystorePassword;
    private String tlsTruststore;
    private String tlsTruststorePassword;
    private WorkManager workManager;
    private final Map<MessageEndpointFactory, NatsActivation> activations = new ConcurrentHashMap<>();

    public String getServerUrl() {
        return serverUrl;
    }

    /** One URL or a comma-separated list (a NATS cluster). */
    public void setServerUrl(String serverUrl) {
        this.serverUrl = serverUrl;
    }

    public String getConnectionName() {
        return connectionName;
    }

    public void setConnectionName(String connectionName) {
        this.connectionName = connectionName;
    }

    // the identity and TLS material of the connection; ra.xml marks the secrets confidential; Liberty hands the
    // password properties over decoded ({xor}/{aes} as securityUtility encodes them), the token as written

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getNkeySeedFile() {
        return nkeySeedFile;
    }

    public void setNkeySeedFile(String nkeySeedFile) {
        this.nkeySeedFile = nkeySeedFile;
    }

    public String getCredentials() {
        return credentials;
    }

    public void setCredentials(String credentials) {
        this.credentials = credentials;
    }

    public Boolean getSecure() {
        return secure;
    }

    public void setSecure(Boolean secure) {
        this.secure = secure;
    }

    public String getTlsClientCert() {
        return tlsClientCert;
    }

    public void setTlsClientCert(String tlsClientCert) {
        this.tlsClientCert = tlsClientCert;
    }

    public String getTlsClientKey() {
        return tlsClientKey;
    }

    public void setTlsClientKey(String tlsClientKey) {
        this.tlsClientKey = tlsClientKey;
    }

    public String getTlsClientCacert() {
        return tlsClientCacert;
    }

    public void setTlsClientCacert(String tlsClientCacert) {
        this.tlsClientCacert = tlsClientCacert;
    }

    public String getTlsKeystore() {
        return tlsKeystore;
    }

    public void setTlsKeystore(String tlsKeystore) {
        this.tlsKeystore = tlsKeystore;
    }

    public String getTlsKeystorePassword() {
        return tlsKeystorePassword;
    }

    public void setTlsKeystorePassword(String tlsKeystorePassword) {
        this.tlsKeystorePassword = tlsKeystorePassword;
    }

    public String getTlsTruststore() {
        return tlsTruststore;
    }

    public void setTlsTruststore(String tlsTruststore) {
        this.tlsTruststore = tlsTruststore;
    }

    public String getTlsTruststorePassword() {
        return tlsTruststorePassword;
    }

    public void setTlsTruststorePassword(String tlsTruststorePassword) {
        this.tlsTruststorePassword = tlsTruststorePassword;
    }

    /** Everything the connection needs, as set in server.xml. */
    NatsConnectionSpec connectionSpec() {
        return new NatsConnectionSpec(serverUrl, connectionName,
                new NatsSecrets(user, password, token, nkeySeedFile, credentials),
                new NatsTlsFiles(Boolean.TRUE.equals(secure), tlsClientCert, tlsClientKey, tlsClientCacert,
                        tlsKeystore, tlsKeystorePassword, tlsTruststore, tlsTruststorePassword));
    }

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        workManager = context.getWorkManager();
        if (serverUrl == null || serverUrl.isBlank()) {
            throw new ResourceAdapterInternalException("the resource adapter's serverUrl is not set (server.xml: "
                    + "properties.natsra serverUrl, the variable stan.nats_server)");
        }
        NatsConnectionSpec spec = connectionSpec();
        LOG.info(() -> "NATS resource adapter started for " + spec.redactedServers() + " (credentials: "
                + orNone(spec.secrets().optionsInUse()) + "; TLS: " + orNone(spec.tls().optionsInUse()) + ")");
    }

    @Override
    public void stop() {
        activations.values().forEach(NatsActivation::release);
        activations.clear();
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof NatsActivationSpec natsSpec)) {
            throw new NotSupportedException("unsupported activation spec " + spec.getClass().getName());
        }
        NatsActivation activation = new NatsActivation(
                new NatsActivation.Settings(connectionSpec(), natsSpec.getMaxBatchSize(),
                        natsSpec.getQueueCapacity(), natsSpec.getQueueMaxBytes(), natsSpec.getPendingMessagesLimit(),
                        natsSpec.getPendingBytesLimit(), Duration.ofMillis(250),
                        Duration.ofMillis(natsSpec.getTimerIntervalMillis())),
                factory);
        activations.put(factory, activation);
        try {
            // startWork ties the worker to the endpoint: it is released at deactivation, not at server quiesce
            workManager.startWork(activation);
        } catch (WorkException e) {
            activations.remove(factory);
            throw new ResourceAdapterInternalException("could not start the NATS worker", e);
        }
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        NatsActivation activation = activations.remove(factory);
        if (activation != null) {
            activation.release();
        }
    }

    private static String orNone(String options) {
        return options.isEmpty() ? "none" : options;
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0];
    }

    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
