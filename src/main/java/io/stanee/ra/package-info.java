/**
 * The JCA resource adapter: it owns the NATS connection (jnats) of the STAN server endpoint.
 *
 * <p>An {@link io.stanee.ra.NatsActivation} connects to NATS, subscribes to the subjects the endpoint asks
 * for, queues what arrives in arrival order and hands it to the endpoint (a message-driven bean in the
 * application) in batches. What the endpoint returns is published only after the call returned, that is after
 * the endpoint's store work committed. The adapter knows NATS and nothing of STAN or SQL: requests and replies
 * cross the boundary as plain subjects and bytes ({@link io.stanee.ra.InboundMessage},
 * {@link io.stanee.ra.OutboundMessage}).
 *
 * <p>The dispatcher never blocks (a connection that stops reading is dropped by the NATS server as a slow
 * consumer): past the queue's bounds a request is answered at once with the application's overload answer
 * ({@link io.stanee.ra.NatsMessageListener#overloadAnswers}). The adapter also tells the application the NATS
 * server's {@code max_payload} after every connection, so that it accepts no message it could not deliver.
 *
 * <p>{@link io.stanee.ra.NatsConnectionSpec} is how the adapter reaches NATS: the server URLs, the identity
 * ({@link io.stanee.ra.NatsSecrets}: user/password, token, NKey seed file, credentials file) and the TLS material
 * ({@link io.stanee.ra.NatsTlsFiles}), the Go server's options set as adapter properties from server.xml. It
 * explains a failed attempt naming those options; nothing here logs a secret or a URL's user information
 * ({@link io.stanee.ra.RedactedUrls}).
 *
 * <p>These classes are packaged in the RAR, not in the WAR; the WAR sees them through its class provider.
 */
package io.stanee.ra;
