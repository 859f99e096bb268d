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

    private String serverUrl = "nats://127.0.0.1:4222";
    private String connectionName = "stan-ee";
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

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        workManager = context.getWorkManager();
        LOG.info(() -> "NATS resource adapter started for " + serverUrl);
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
                new NatsActivation.Settings(serverUrl, connectionName, natsSpec.getMaxBatchSize(),
                        natsSpec.getQueueCapacity(), Duration.ofMillis(250),
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
