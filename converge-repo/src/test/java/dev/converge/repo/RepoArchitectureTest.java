package dev.converge.repo;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of converge-repo: no package cycles, the SPI depends on nothing else of the module,
 * and nothing uses another module's {@code internal} packages.
 */
@AnalyzeClasses(
    packages = "dev.converge.repo",
    importOptions = ImportOption.DoNotIncludeTests.class)
class RepoArchitectureTest {
  @ArchTest
  static final ArchRule packages_haveNoCycles =
      slices().matching("dev.converge.repo.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule spi_dependsOnNoImplementation =
      noClasses()
          .that()
          .resideInAPackage("dev.converge.repo.spi..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.converge.repo..")
                  .and(not(resideInAPackage("dev.converge.repo.spi.."))));

  @ArchTest
  static final ArchRule repo_usesNoOtherModulesInternals =
      noClasses()
          .that()
          .resideInAPackage("dev.converge.repo..")
          .should()
          .dependOnClassesThat(resideInAPackage("dev.converge.core.internal.."));
}
