package io.stanee.core;

/** What a stan-ee instance is doing for its cluster ID; only an {@link #ACTIVE} one answers clients. */
public enum ServerRole {
    /** Not started yet: the resource adapter has not asked for the subjects. */
    STARTING,
    /** Checking that no other server serves the cluster ID (stand-alone probe, partition lists). */
    CHECKING,
    /** A member of an FT group waiting for the active one to go silent. */
    STANDBY,
    /** Serving clients. */
    ACTIVE,
    /** Refused to serve at start-up: another server serves the cluster ID, or owns one of its channels. */
    REFUSED,
    /** Stopped serving: the FT lock was lost or another active showed up. Restart the instance to rejoin. */
    STOPPED;

    /** The name operators read in health output. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
