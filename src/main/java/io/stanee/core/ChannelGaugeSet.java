package io.stanee.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one {@link ChannelGauges} per channel of the current state: on each refresh (the worker's timer call) it
 * copies every channel's figures and tells the {@link MetricsRecorder} which channels appeared and which are gone.
 * A channel is known by its name, so one deleted and created again keeps its gauges. Worker thread only.
 */
final class ChannelGaugeSet {

    private final Map<String, ChannelGauges> gauges = new HashMap<>();

    void refresh(Collection<Channel> channels, MetricsRecorder recorder) {
        for (Channel channel : channels) {
            ChannelGauges known = gauges.get(channel.name);
            if (known == null) {
                known = new ChannelGauges(channel.name);
                known.copyFrom(channel);
                gauges.put(channel.name, known);
                recorder.channelAdded(known);
            } else {
                known.copyFrom(channel);
            }
        }
        // every current channel is known now (names are unique): more gauges than channels means some are gone
        if (gauges.size() > channels.size()) {
            removeGone(channels, recorder);
        }
    }

    private void removeGone(Collection<Channel> channels, MetricsRecorder recorder) {
        Set<String> current = new HashSet<>();
        channels.forEach(channel -> current.add(channel.name));
        for (Iterator<ChannelGauges> it = gauges.values().iterator(); it.hasNext(); ) {
            ChannelGauges gone = it.next();
            if (!current.contains(gone.name())) {
                it.remove();
                recorder.channelRemoved(gone);
            }
        }
    }

    /** The gauges of every known channel, by name (for tests). */
    Map<String, ChannelGauges> byName() {
        return gauges;
    }
}
