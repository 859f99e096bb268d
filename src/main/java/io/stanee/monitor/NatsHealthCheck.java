package io.stanee.monitor;

import io.stanee.endpoint.StanServerBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the resource adapter's NATS connection is up and the server has started. */
@Readiness
@ApplicationScoped
public class NatsHealthCheck implements HealthCheck {

    @Inject
    StanServerBean server;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("nats")
                .status(server.started() && server.stats().natsConnected())
                .withData("started", server.started())
                .withData("connected", server.stats().natsConnected())
                .build();
    }
}
