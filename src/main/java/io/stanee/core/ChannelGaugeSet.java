package io.stanee.core;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Keeps one {@link ChannelGauges} per channel of the current state, for at most {@code limit} channels: on each
 * refresh (the worker's timer call) it copies their figures and tells the {@link MetricsRecorder} which channels
 * appeared and which are gone; a channel left out gets the slot a gone one frees. A channel is known by its
 * name, so one deleted and created again keeps its gauges. Worker thread only.
 */
final class ChannelGaugeSet {

    private final Map<String, ChannelGauges> gauges = new HashMap<>();
    private final int limit;

    ChannelGaugeSet(int limit) {
        this.limit = limit;
    }

    void refresh(Collection<Channel> channels, MetricsRecorder recorder) {
        int current = 0;
        boolean leftOut = false;
        for (Channel channel : channels) {
            ChannelGauges known = gauges.get(channel.name);
            if (known != null) {
                current++;
                known.copyFrom(channel);
            } else if (!add(channel, recorder)) {
                leftOut = true;
            } else {
                current++;
            }
        }
        // names are unique: more gauges than current channels with gauges means some channels are gone
        if (gauges.size() > current) {
            removeGone(channels, recorder);
            if (leftOut) {
                channels.forEach(channel -> {
                    if (!gauges.containsKey(channel.name)) {
                        add(channel, recorder);
                    }
                });
            }
        }
    }

    /** Gives the channel gauges if the limit allows. */
    private boolean add(Channel channel, MetricsRecorder recorder) {
        if (gauges.size() >= limit) {
            return false;
        }
        ChannelGauges added = new ChannelGauges(channel.name);
        added.copyFrom(channel);
        gauges.put(channel.name, added);
        recorder.channelAdded(added);
        return true;
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
