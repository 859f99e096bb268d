package io.stanee.store;

/**
 * The largest serialized message the store's Messages.data column holds, when the schema caps it below what
 * NATS can carry: a MySQL/MariaDB database made by the Go server's script keeps a BLOB (65535 bytes). Found at
 * start-up, so that a publish that would not fit is refused up front instead of failing in the store.
 *
 * @param column the column and its type as the database reports them, e.g. {@code Messages.data (blob)}
 * @param maxBytes the most bytes the column holds
 * @param remedy the statement that lifts the cap
 */
public record StoredMessageLimit(String column, long maxBytes, String remedy) {
}
