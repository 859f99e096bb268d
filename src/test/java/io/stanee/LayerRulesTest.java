package io.stanee;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.stanee.ra.InboundMessage;
import io.stanee.ra.OutboundMessage;
import jakarta.ejb.ApplicationException;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The package drawing of docs/design.md ("Packages": who may use whom) as a compile-time fact: a class that
 * reaches across a line fails {@code mvn test}, naming the class, the member and the line. The production
 * classes only (test code may wire anything to anything).
 */
@AnalyzeClasses(packages = "io.stanee", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {

    /** The resource adapter's message records, which the core takes and returns (the only "ra" it may use). */
    private static final DescribedPredicate<JavaClass> RA_MESSAGE_RECORDS =
            belongToAnyOf(InboundMessage.class, OutboundMessage.class);

    @ArchTest
    static final ArchRule coreIsPlainJava = noClasses().that().resideInAPackage("io.stanee.core..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "io.nats..")
            .because("the STAN core is plain Java, tested without a container or a NATS connection");

    @ArchTest
    static final ArchRule coreUsesTheStoreContractOnly = noClasses().that().resideInAPackage("io.stanee.core..")
            .should().dependOnClassesThat().resideInAnyPackage("io.stanee.store.jpa..", "io.stanee.store.memory..",
                    "io.stanee.endpoint..", "io.stanee.config..", "io.stanee.monitor..", "io.stanee.tools..")
            .because("the core may use protocol, the store interface and the ra message records (docs/design.md)");

    @ArchTest
    static final ArchRule coreUsesOnlyTheMessageRecordsOfTheAdapter = noClasses()
            .that().resideInAPackage("io.stanee.core..")
            .should().dependOnClassesThat(resideInAPackage("io.stanee.ra..")
                    .and(DescribedPredicate.not(RA_MESSAGE_RECORDS)))
            .because("of the resource adapter the core sees InboundMessage and OutboundMessage alone");

    @ArchTest
    static final ArchRule adapterKnowsNoServer = noClasses().that().resideInAPackage("io.stanee.ra..")
            .should().dependOnClassesThat().resideInAnyPackage("io.stanee.core..", "io.stanee.store..")
            .because("the resource adapter is a separate RAR: it carries messages, the server is in the WAR");

    @ArchTest
    static final ArchRule storeKnowsNoServer = noClasses().that().resideInAPackage("io.stanee.store..")
            .should().dependOnClassesThat().resideInAnyPackage("io.stanee.ra..", "io.stanee.core..",
                    "io.stanee.endpoint..", "io.stanee.config..", "io.stanee.monitor..", "io.stanee.tools..")
            .because("the store persists what the core decided and knows nothing of who calls it");

    @ArchTest
    static final ArchRule storeContractIsPlainJava = classes().that().resideInAPackage("io.stanee.store")
            .should().onlyDependOnClassesThat(resideInAnyPackage("java..", "io.stanee.store")
                    .or(belongToAnyOf(ApplicationException.class)))
            .because("the store contract is the interface, its records and exceptions; the exceptions are marked "
                    + "@ApplicationException so that the store EJB's callers get them as they are");

    @ArchTest
    static final ArchRule memoryStoreIsPlainJava = noClasses().that().resideInAPackage("io.stanee.store.memory..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "io.stanee.store.jpa..")
            .because("the memory store runs without a container");

    @ArchTest
    static final ArchRule encryptionWrapsAnyStore = noClasses().that().resideInAPackage("io.stanee.store.crypto..")
            .should().dependOnClassesThat().resideInAnyPackage("jakarta..", "io.stanee.store.jpa..",
                    "io.stanee.store.memory..")
            .because("the encrypting store wraps any store through the contract, as Go's CryptoStore does");

    @ArchTest
    static final ArchRule toolsAreOnlyAClient = noClasses().that().resideInAPackage("io.stanee.tools..")
            .should().dependOnClassesThat().resideInAnyPackage("io.stanee.core..", "io.stanee.store..",
                    "io.stanee.endpoint..", "io.stanee.monitor..", "io.stanee.config..", "io.stanee.ra..")
            .because("the tools are a STAN client (not in the WAR): they talk to the server over NATS only");

    @ArchTest
    static final ArchRule protocolUsesNothingElse = noClasses().that().resideInAPackage("io.stanee.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("io.stanee.core..", "io.stanee.store..",
                    "io.stanee.endpoint..", "io.stanee.monitor..", "io.stanee.config..", "io.stanee.ra..",
                    "io.stanee.tools..")
            .because("the wire model is shared by every other package and uses none of them");
}
