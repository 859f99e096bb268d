package io.stanee.monitor;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Ready only while the database hands out a valid connection. Through a small datasource of its own
 * ({@code jdbc/stanee-health}, 2 connections): checks that come in bursts never take the store's connections, and
 * a store that uses all of its pool never makes the check wait for one.
 */
@Readiness
@ApplicationScoped
public class DatabaseHealthCheck implements HealthCheck {

    private static final int VALIDATION_SECONDS = 2;

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
            return HealthCheckResponse.named("datasource").down().withData("error", String.valueOf(e.getMessage()))
                    .build();
        }
    }
}
