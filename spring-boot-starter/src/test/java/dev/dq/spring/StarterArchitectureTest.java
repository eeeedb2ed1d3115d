package dev.dq.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The starter depends on core and the modules it wires, never the other way round: core, the
 * adapters and the other integrations stay usable without Spring.
 */
final class StarterArchitectureTest {
  private static final JavaClasses DQ =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.dq");

  @Test
  void coreAndAdaptersKnowNothingOfSpringOrTheStarter() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.dq.core..",
            "dev.dq.adapter..",
            "dev.dq.codec..",
            "dev.dq.micrometer..",
            "dev.dq.opentelemetry..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..", "dev.dq.spring..")
        .check(DQ);
  }

  @Test
  void theStarterUsesOnlyCoreTheModulesItWiresAndSpring() {
    classes()
        .that()
        .resideInAPackage("dev.dq.spring..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.dq.spring..",
            "dev.dq.core..",
            "dev.dq.adapter.memory..",
            "dev.dq.adapter.redis..",
            "dev.dq.codec.jackson..",
            "dev.dq.micrometer..",
            "dev.dq.opentelemetry..",
            "io.micrometer.core..",
            "io.opentelemetry.api..",
            "org.springframework..",
            "org.slf4j..",
            "java..")
        .check(DQ);
  }
}
