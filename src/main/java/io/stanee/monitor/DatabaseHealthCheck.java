package io.stanee.monitor;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;

/**
 * Ready only while the database hands out a valid connection. Through a small datasource of its own
 * ({@code jdbc/stanee-health}, 2 connections): checks that come in bursts never take the store's connections, and
 * a store that uses all of its pool never makes the check wait for one. A failure is described by its SQLState
 * class only: the driver's own text (host names, user names, server messages) goes to messages.log, once while it
 * stays the same, not to whoever can read /health.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(DatabaseHealthCheck.class.getName());
    private static final int VALIDATION_SECONDS = 2;

    private volatile String lastLogged;

    @Resource(lookup = "jdbc/stanee-health")
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        try (Connection connection = dataSource.getConnection()) {
            return HealthCheckResponse.named("datasource")
                    .status(connection.isValid(VALIDATION_SECONDS))
                    .withData("database", connection.getMetaData().getDatabaseProductName())
                    .build();
        } catch (SQLException e) {
            String detail = String.valueOf(e.getMessage());
            if (!detail.equals(lastLogged)) {
                lastLogged = detail;
                LOG.warning(() -> "the datasource hands out no connection: " + detail);
            }
            return HealthCheckResponse.named("datasource").down().withData("error", describe(e.getSQLState()))
                    .build();
        }
    }

    /** What an operator needs from /health: the kind of failure and its SQLState; the details are in the log. */
    static String describe(String sqlState) {
        String state = sqlState == null ? "" : sqlState;
        String kind = switch (state.length() >= 2 ? state.substring(0, 2) : "") {
            case "08" -> "cannot connect to the database";
            case "28" -> "the database refused the user or password";
            case "3D" -> "the database does not exist";
            case "42" -> "the database refused access to the schema";
            case "53", "57" -> "the database is overloaded or shutting down";
            default -> "the datasource hands out no connection";
        };
        return kind + (state.isEmpty() ? "" : " (SQLState " + state + ")") + "; see messages.log";
    }
}
