package io.stanee.protocol;

/**
 * The subjects STAN servers use among themselves (not clients): the Go server's, so that Go servers and stan-ee
 * instances can share a fault-tolerance group or a partitioned cluster.
 */
public final class ServerSubjects {

    private ServerSubjects() {
    }

    /** Where the active server of an FT group sends its heartbeats (Go: {@code _STAN.ft.<cluster>.<group>}). */
    public static String ftHeartbeats(String clusterId, String ftGroup) {
        return "_STAN.ft." + clusterId + "." + ftGroup;
    }

    /** Where partitioned servers send the lists of channels they own (Go: {@code _STAN.part.<cluster>}). */
    public static String partitions(String clusterId) {
        return "_STAN.part." + clusterId;
    }
}
