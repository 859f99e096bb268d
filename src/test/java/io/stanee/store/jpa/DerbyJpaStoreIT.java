package io.stanee.store.jpa;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store suite on Derby (embedded, datasource jdbc/store-derby of the "arquillian" server). */
@ExtendWith(ArquillianExtension.class)
class DerbyJpaStoreIT extends JpaStoreContract {

    @Deployment
    static WebArchive deployment() throws Exception {
        return deployment("store-derby", "jdbc/store-derby", "derby");
    }
}
