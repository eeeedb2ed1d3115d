package dev.dq.app;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.GeneralCodingRules;
import java.time.Clock;
import java.time.Instant;

/**
 * The module boundaries of STYLE §1 and §11, checked on the classes of every module (app sees them
 * all). {@code failOnEmptyShould} stays on, so a rule whose package is misspelled, or whose module
 * disappeared, fails instead of passing vacuously. Adding an adapter means adding it to {@link
 * #hexagon} and a rule naming its technology.
 */
@AnalyzeClasses(
    packages = "dev.dq",
    importOptions = {
      ImportOption.DoNotIncludeTests.class,
      ArchitectureTest.DoNotIncludeTestJars.class
    })
final class ArchitectureTest {

  /**
   * The adapters-redis test-jar (TestRedis and its tests, used by the jar tests) arrives as a jar,
   * which {@link ImportOption.DoNotIncludeTests} does not filter: its test classes would count as
   * adapter code.
   */
  static final class DoNotIncludeTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.contains("-tests.jar");
    }
  }

  @ArchTest
  static final ArchRule hexagon =
      Architectures.onionArchitecture()
          .domainModels("dev.dq.core.task..")
          .domainServices(
              "dev.dq.core.port..",
              "dev.dq.core.limit..",
              "dev.dq.core.lifecycle..",
              "dev.dq.core.ops..",
              "dev.dq.core.retry..",
              "dev.dq.core.schedule..")
          .applicationServices("dev.dq.core.worker..", "dev.dq.core.client..", "dev.dq.cron..")
          .adapter("memory", "dev.dq.adapter.memory..")
          .adapter("redis", "dev.dq.adapter.redis..")
          .adapter("jackson-codec", "dev.dq.codec.jackson..")
          .adapter("micrometer", "dev.dq.micrometer..")
          .adapter("opentelemetry", "dev.dq.opentelemetry..")
          // app is the composition root: it wires core to one adapter, so it sees both; its own
          // limits are below.
          .ignoreDependency(resideInAPackage("dev.dq.app.."), DescribedPredicate.alwaysTrue())
          .because("core is the inside of the hexagon and adapters plug into its ports");

  @ArchTest
  static final ArchRule core_depends_only_on_the_jdk_and_slf4j =
      classes()
          .that()
          .resideInAPackage("dev.dq.core..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("dev.dq.core..", "java..", "org.slf4j..");

  @ArchTest
  static final ArchRule the_memory_adapter_uses_only_core =
      classes()
          .that()
          .resideInAPackage("dev.dq.adapter.memory..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("dev.dq.adapter.memory..", "dev.dq.core..", "java..", "org.slf4j..");

  @ArchTest
  static final ArchRule the_redis_adapter_uses_only_core_jedis_and_jackson =
      classes()
          .that()
          .resideInAPackage("dev.dq.adapter.redis..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "dev.dq.adapter.redis..",
              "dev.dq.core..",
              "java..",
              "javax.net..",
              "org.slf4j..",
              "redis.clients..",
              "com.fasterxml.jackson..");

  @ArchTest
  static final ArchRule the_cron_module_uses_only_core_and_cron_utils =
      classes()
          .that()
          .resideInAPackage("dev.dq.cron..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "dev.dq.cron..", "dev.dq.core..", "java..", "org.slf4j..", "com.cronutils..");

  @ArchTest
  static final ArchRule the_jackson_codec_uses_only_core_and_jackson =
      classes()
          .that()
          .resideInAPackage("dev.dq.codec.jackson..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "dev.dq.codec.jackson..", "dev.dq.core..", "java..", "com.fasterxml.jackson..");

  @ArchTest
  static final ArchRule the_micrometer_module_uses_only_core_and_micrometer =
      classes()
          .that()
          .resideInAPackage("dev.dq.micrometer..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "dev.dq.micrometer..", "dev.dq.core..", "java..", "org.slf4j..", "io.micrometer..")
          .because("an integration plugs into core only: no adapter, no app");

  @ArchTest
  static final ArchRule the_opentelemetry_module_uses_only_core_and_the_otel_api =
      classes()
          .that()
          .resideInAPackage("dev.dq.opentelemetry..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              "dev.dq.opentelemetry..",
              "dev.dq.core..",
              "java..",
              "io.opentelemetry.api..",
              "io.opentelemetry.context..")
          .because("an integration plugs into core only: no adapter, no app, no SDK");

  @ArchTest
  static final ArchRule core_never_depends_on_micrometer_or_opentelemetry =
      noClasses()
          .that()
          .resideInAPackage("dev.dq.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.micrometer..",
              "io.opentelemetry..",
              "dev.dq.micrometer..",
              "dev.dq.opentelemetry..")
          .because("core stays JDK + SLF4J; metrics and tracing live in their own modules");

  @ArchTest
  static final ArchRule core_never_depends_on_a_codec_module =
      noClasses()
          .that()
          .resideInAPackage("dev.dq.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.dq.codec..", "com.fasterxml.jackson..")
          .because("core stays JDK + SLF4J; JSON lives in dq-codec-jackson");

  @ArchTest
  static final ArchRule only_the_redis_adapter_touches_jedis =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.dq.adapter.redis..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("redis.clients..");

  @ArchTest
  static final ArchRule adapters_do_not_depend_on_each_other =
      slices().matching("dev.dq.adapter.(*)..").should().notDependOnEachOther();

  @ArchTest
  static final ArchRule nothing_depends_on_the_app =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.dq.app..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("dev.dq.app..");

  @ArchTest
  static final ArchRule only_the_app_touches_guice_picocli_logback_and_prometheus =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.dq.app..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "com.google.inject..", "picocli..", "ch.qos.logback..", "io.prometheus..");

  @ArchTest
  static final ArchRule core_reads_time_only_through_the_injected_clock =
      noClasses()
          .that()
          .resideInAPackage("dev.dq.core..")
          .should()
          .callMethod(Instant.class, "now")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .orShould()
          .callMethod(Clock.class, "systemUTC")
          .orShould()
          .callMethod(Clock.class, "systemDefaultZone");

  @ArchTest
  static final ArchRule no_java_util_logging =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;

  /**
   * The rooms of {@code app}: the root package (Main, the root command) builds the command line and
   * calls wiring; wiring builds each feature's objects; a feature (run, ops, demo, bench) sees only
   * the shared packages, never another feature, and nothing but the root and wiring sees a feature.
   */
  @ArchTest
  static final ArchRule app_features_meet_only_through_the_root_and_wiring =
      Architectures.layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("root")
          .definedBy("dev.dq.app")
          .layer("wiring")
          .definedBy("dev.dq.app.wiring..")
          .layer("run")
          .definedBy("dev.dq.app.run..")
          .layer("ops")
          .definedBy("dev.dq.app.ops..")
          .layer("demo")
          .definedBy("dev.dq.app.demo..")
          .layer("bench")
          .definedBy("dev.dq.app.bench..")
          .layer("migrate")
          .definedBy("dev.dq.app.migrate..")
          .layer("handlers")
          .definedBy("dev.dq.app.handlers..")
          .layer("metrics")
          .definedBy("dev.dq.app.metrics..")
          .layer("shared")
          .definedBy("dev.dq.app.config..", "dev.dq.app.logging..", "dev.dq.app.lifecycle..")
          .whereLayer("root")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("wiring")
          .mayOnlyBeAccessedByLayers("root")
          .whereLayer("run")
          .mayOnlyBeAccessedByLayers("root", "wiring")
          .whereLayer("ops")
          .mayOnlyBeAccessedByLayers("root", "wiring")
          .whereLayer("demo")
          .mayOnlyBeAccessedByLayers("root", "wiring")
          .whereLayer("bench")
          .mayOnlyBeAccessedByLayers("root", "wiring")
          .whereLayer("migrate")
          .mayOnlyBeAccessedByLayers("root", "wiring")
          .whereLayer("handlers")
          .mayOnlyBeAccessedByLayers("run")
          .whereLayer("metrics")
          .mayOnlyBeAccessedByLayers("run", "wiring");

  @ArchTest
  static final ArchRule handlers_and_metrics_never_depend_on_commands =
      noClasses()
          .that()
          .resideInAnyPackage("dev.dq.app.handlers..", "dev.dq.app.metrics..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "dev.dq.app",
              "dev.dq.app.run..",
              "dev.dq.app.ops..",
              "dev.dq.app.demo..",
              "dev.dq.app.bench..",
              "dev.dq.app.migrate..",
              "dev.dq.app.wiring..",
              "picocli..");

  @ArchTest
  static final ArchRule only_wiring_touches_guice =
      noClasses()
          .that()
          .resideOutsideOfPackage("dev.dq.app.wiring..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.google.inject..")
          .because(
              "wiring builds each object graph once; commands receive what they need, never an injector");

  @ArchTest
  static final ArchRule no_class_outside_wiring_names_an_adapter =
      noClasses()
          .that()
          .resideInAPackage("dev.dq.app..")
          .and()
          .resideOutsideOfPackage("dev.dq.app.wiring..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("dev.dq.adapter..")
          .because("the broker registry in wiring is the one place that knows each backend");
}
