/**
 * Where the resource adapter meets the application: the message-driven bean that receives the adapter's batches
 * and the singleton that owns the running {@link io.stanee.core.StanServer} (started at deployment, after the
 * schema check).
 */
package io.stanee.endpoint;
