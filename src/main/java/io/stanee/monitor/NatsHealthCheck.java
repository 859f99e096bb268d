package io.stanee.monitor;

import io.stanee.core.StanInstance;
import io.stanee.endpoint.StanServerBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the resource adapter's NATS connection is up and this instance serves clients: a standby of an
 * FT group, or an instance that refused to start beside another server, reports its role and why.
 */
@Readiness
@ApplicationScoped
public class NatsHealthCheck implements HealthCheck {

    @Inject
    StanServerBean server;

    @Override
    public HealthCheckResponse call() {
        StanInstance instance = server.instance();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("nats")
                .status(server.serving() && server.stats().natsConnected())
                .withData("role", instance.role().label())
                .withData("connected", server.stats().natsConnected());
        if (!instance.reason().isEmpty()) {
            response.withData("reason", instance.reason());
        }
        return response.build();
    }
}
