package io.stanee.monitor;

import io.stanee.core.StanInstance;
import io.stanee.endpoint.StanServerBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the state is recovered from the store (an FT standby recovers when it takes over). */
@Readiness
@ApplicationScoped
public class RecoveryHealthCheck implements HealthCheck {

    @Inject
    StanServerBean server;

    @Override
    public HealthCheckResponse call() {
        StanInstance instance = server.instance();
        return HealthCheckResponse.named("recovery")
                .status(instance.recovered())
                .withData("role", instance.role().label())
                .build();
    }
}
