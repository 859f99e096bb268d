package io.stanee.endpoint;

import io.stanee.config.EncryptionOptions;
import io.stanee.config.InvalidOptionException;
import io.stanee.config.StanConfig;
import io.stanee.core.ServerStats;
import io.stanee.core.ServerRole;
import io.stanee.core.StanInstance;
import io.stanee.store.IncompatibleStoreException;
import io.stanee.store.Store;
import io.stanee.store.StoreException;
import io.stanee.store.StoredMessageLimit;
import io.stanee.store.crypto.StoreEncryption;
import io.stanee.store.memory.MemoryStore;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the one {@link StanInstance} of the application. Checks the schema at deployment, so that a missing one
 * fails the deployment with a clear error; a database that is merely unreachable does not: the check is then
 * repeated when the resource adapter first asks for the subjects (it retries).
 *
 * <p>Bean-managed concurrency: the adapter calls from a single thread, and what other threads read
 * (statistics, role) is thread-safe.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StanServerBean {

    private static final Logger LOG = Logger.getLogger(StanServerBean.class.getName());

    @Inject
    StanConfig config;

    /** The SQL store on the datasource; in use unless {@code stan.store} chooses the memory store. */
    @EJB
    Store sqlStore;

    private Store store;

    private StanInstance instance;
    private volatile boolean schemaVerified;
    /** Start-up stopped at an invalid option: nothing to subscribe to, nothing to check. */
    private volatile boolean invalidOption;

    @PostConstruct
    void init() {
        try {
            store = config.memoryStore() ? new MemoryStore() : sqlStore;
            if (store != sqlStore) {
                LOG.warning("stan.store=MEMORY: messages, clients and subscriptions are kept in memory only and are "
                        + "lost when the server stops");
            }
            EncryptionOptions encryption = config.encryption();
            Store served = StoreEncryption.wrap(store, encryption.encrypt(), encryption.cipher(), encryption.key(),
                    encryption.environmentKey());
            instance = new StanInstance(config.settings(), config.requestLimits(), served, StanServerBean::nowNanos);
        } catch (InvalidOptionException e) {
            // the application stays deployed, so that /health says why stan-ee does not serve
            LOG.severe(e.getMessage() + "; stan-ee does not start until the option is corrected");
            store = sqlStore;
            instance = StanInstance.refused(StanConfig.defaults(), store, StanServerBean::nowNanos, e.getMessage());
            invalidOption = true;
            return;
        }
        try {
            verifySchema();
        } catch (IncompatibleStoreException e) {
            LOG.severe(e.getMessage());
            throw e; // the deployment fails with the reason: retrying cannot help
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "stan-ee could not start yet, will retry when NATS is connected: "
                    + e.getMessage());
        }
    }

    /** Writes what the caching mode held back and frees the FT lock; the adapter has stopped delivering by now. */
    @PreDestroy
    void stop() {
        try {
            instance.shutdown();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not write the subscription state at shutdown: " + e.getMessage(), e);
        }
    }

    private synchronized void verifySchema() {
        if (!schemaVerified) {
            StoredMessageLimit column = store.checkSchema();
            if (column != null) {
                LOG.warning(() -> "stan-ee: column " + column.column() + " holds at most " + column.maxBytes()
                        + " bytes: larger messages are refused at publish time; to lift the cap run: "
                        + column.remedy());
            }
            instance.requestLimits().storedMessageLimit(column);
            schemaVerified = true;
        }
    }

    /** The subjects to listen on at first, checking the schema if the store was not reachable at deployment. */
    public List<String> subjects() {
        if (invalidOption) {
            return List.of();
        }
        verifySchema();
        return instance.subjects();
    }

    /** The store type as the Go server's /streaming/storez names it: SQL or MEMORY. */
    public String storeType() {
        return store instanceof MemoryStore ? "MEMORY" : "SQL";
    }

    public StanInstance instance() {
        return instance;
    }

    public ServerStats stats() {
        return instance.stats();
    }

    /** Whether this instance serves clients (a standby, or one that refused or stopped, does not). */
    public boolean serving() {
        return instance.role() == ServerRole.ACTIVE;
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
