package dev.converge.core;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of converge-core, checked on its compiled main classes.
 *
 * <p>How: ArchUnit imports every class under {@code dev.converge.core} (tests excluded) and each
 * {@link ArchTest} field is one rule. The public API package {@code dev.converge.core} is a facade
 * over its {@code internal} packages, which in turn use its value types, so that one pair may
 * depend on each other; below the facade, packages must not form cycles.
 */
@AnalyzeClasses(
    packages = "dev.converge.core",
    importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {
  @ArchTest
  static final ArchRule core_dependsOnlyOnTheJdk =
      classes()
          .that()
          .resideInAPackage("dev.converge.core..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "dev.converge.core..", "org.jspecify.annotations..");

  @ArchTest
  static final ArchRule subpackages_haveNoCycles =
      slices().matching("dev.converge.core.(*)..").should().beFreeOfCycles().allowEmptyShould(true);

  @ArchTest
  static final ArchRule internalPackages_haveNoCycles =
      slices()
          .matching("dev.converge.core.internal.(**)")
          .should()
          .beFreeOfCycles()
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule core_usesNoOtherModulesInternals =
      noClasses()
          .that()
          .resideInAPackage("dev.converge.core..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.converge..internal..")
                  .and(not(resideInAPackage("dev.converge.core.."))));
}
