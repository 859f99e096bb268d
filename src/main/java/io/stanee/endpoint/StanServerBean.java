package io.stanee.endpoint;

import io.stanee.config.StanConfig;
import io.stanee.core.ServerStats;
import io.stanee.core.StanServer;
import io.stanee.store.IncompatibleStoreException;
import io.stanee.store.Store;
import io.stanee.store.StoreException;
import io.stanee.store.jpa.SchemaGuard;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.EJB;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns the one {@link StanServer} of the application. Started at deployment so that a missing schema fails the
 * deployment with a clear error; a database that is merely unreachable does not: the server then starts when
 * the resource adapter first asks for its subjects (it retries).
 *
 * <p>Bean-managed concurrency: the adapter calls from a single thread, and what other threads read
 * (statistics) is thread-safe.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class StanServerBean {

    private static final Logger LOG = Logger.getLogger(StanServerBean.class.getName());

    @Inject
    StanConfig config;

    @EJB
    Store store;

    @Resource(lookup = "jdbc/stanee")
    DataSource dataSource;

    private StanServer server;
    private volatile List<String> subjects;

    @PostConstruct
    void init() {
        server = new StanServer(config.settings(), store, StanServerBean::nowNanos);
        try {
            start();
        } catch (IncompatibleStoreException e) {
            LOG.severe(e.getMessage());
            throw e; // the deployment fails with the reason: retrying cannot help
        } catch (StoreException e) {
            LOG.log(Level.WARNING, "stan-ee could not start yet, will retry when NATS is connected: "
                    + e.getMessage());
        }
    }

    /** Writes what the caching mode held back; the adapter has stopped delivering by now. */
    @PreDestroy
    void stop() {
        if (subjects != null) {
            try {
                server.flush();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not write the subscription state at shutdown: " + e.getMessage(), e);
            }
        }
    }

    private synchronized List<String> start() {
        if (subjects == null) {
            SchemaGuard.verify(dataSource);
            subjects = server.start();
        }
        return subjects;
    }

    /** The subjects to listen on, starting the server if the store was not reachable at deployment. */
    public List<String> subjects() {
        List<String> started = subjects;
        return started != null ? started : start();
    }

    public StanServer server() {
        return server;
    }

    public ServerStats stats() {
        return server.stats();
    }

    public boolean started() {
        return subjects != null;
    }

    static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
