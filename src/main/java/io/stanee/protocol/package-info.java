/**
 * The STAN wire model: the protobuf classes generated from {@code src/main/proto} (packages {@code pb} and
 * {@code spb}, same field numbers as the Go server), the server's subject names, channel name rules and the
 * exact error strings clients see; and what Go servers send each other (FT heartbeats' subject and Go time
 * encoding, partition channel lists). Knows nothing of NATS connections, SQL or Jakarta EE.
 */
package io.stanee.protocol;
