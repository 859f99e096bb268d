/**
 * The store on the Go server's SQL schema: JPA entities (EclipseLink) mapped onto its tables and columns
 * exactly, a stateless EJB applying each {@link io.stanee.store.StoreBatch} in one JTA transaction with batched
 * inserts, recovery queries, and the start-up check that the DBA's schema is there (the embedded Derby default
 * alone creates its own, from {@code sql/derby.db.sql}).
 */
package io.stanee.store.jpa;
