package io.stanee.core;

import io.stanee.store.StoredRange;

/**
 * The part of a recovered channel ({@code first..last} as found at the restart) whose messages the store is still
 * counting. Nothing trims the channel meanwhile, so the range holds the same rows when the count arrives.
 */
record RecoveredTotals(long first, long last) {

    StoredRange of(Channel channel) {
        return new StoredRange(channel.id, first, last);
    }
}
