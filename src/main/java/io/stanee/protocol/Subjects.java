package io.stanee.protocol;

import io.stanee.protocol.spb.ServerProtocol.ServerInfo;

/**
 * The subjects a STAN server listens on, formed once at first start and then persisted in ServerInfo
 * (after a restart the recovered subjects win over the configuration, as in the Go server).
 */
public final class Subjects {

    public static final String DEFAULT_DISCOVER_PREFIX = "_STAN.discover";

    private Subjects() {
    }

    /** The subjects of a new server with this cluster ID. */
    public static ServerInfo forNewServer(String clusterId, String discoverPrefix) {
        return ServerInfo.newBuilder()
                .setClusterID(clusterId)
                .setDiscovery(discoverPrefix + "." + clusterId)
                .setPublish("_STAN.pub." + clusterId)
                .setSubscribe("_STAN.sub." + clusterId)
                .setUnsubscribe("_STAN.unsub." + clusterId)
                .setClose("_STAN.close." + clusterId)
                .setSubClose("_STAN.subclose." + clusterId)
                .setAcksSubs("_STAN.ack." + clusterId)
                .build();
    }

    /** Client PINGs go to the discovery subject plus this suffix. */
    public static String pings(ServerInfo info) {
        return info.getDiscovery() + ".pings";
    }
}
