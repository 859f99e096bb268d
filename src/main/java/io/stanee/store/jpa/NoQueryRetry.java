package io.stanee.store.jpa;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.Session;

/**
 * Turns off EclipseLink's own retry of a read whose connection broke outside a transaction (by default three
 * more tries, five seconds apart, on the caller's thread). stan-ee's caller is the one worker thread of the
 * server: in a database failover each such read held every client for about ten seconds, measured with
 * {@code .ci/pg-failover}. The core decides what a failure means (a store error to the requests, the next
 * batch on a fresh connection), so the store reports it at once. Registered as
 * {@code eclipselink.session.customizer} in persistence.xml; EclipseLink has no property for it.
 */
public class NoQueryRetry implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        if (session.getDatasourceLogin() instanceof DatabaseLogin login) {
            login.setQueryRetryAttemptCount(0);
        }
    }
}
