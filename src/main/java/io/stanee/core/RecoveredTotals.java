package io.stanee.core;

import io.stanee.store.MessageTotals;
import io.stanee.store.Store;

import java.util.concurrent.Future;

/**
 * The store counting a recovered channel's messages ({@code first..last} as found at the restart) in the
 * background; asked again with the same range if the read fails. Nothing trims the channel meanwhile, so the
 * range holds the same rows when the count arrives.
 */
record RecoveredTotals(long first, long last, Future<MessageTotals> counting) {

    static RecoveredTotals count(Store store, int channelId, long first, long last) {
        return new RecoveredTotals(first, last, store.messageTotals(channelId, first, last));
    }

    RecoveredTotals again(Store store, int channelId) {
        return count(store, channelId, first, last);
    }
}
