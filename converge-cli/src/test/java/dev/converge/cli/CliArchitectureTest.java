package dev.converge.cli;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of converge-cli, checked on its compiled main classes: no package cycles, and no use
 * of another module's {@code internal} packages (the CLI goes through their public API).
 */
@AnalyzeClasses(packages = "dev.converge.cli", importOptions = ImportOption.DoNotIncludeTests.class)
class CliArchitectureTest {
  @ArchTest
  static final ArchRule packages_haveNoCycles =
      slices().matching("dev.converge.cli.(**)").should().beFreeOfCycles().allowEmptyShould(true);

  @ArchTest
  static final ArchRule cli_usesNoOtherModulesInternals =
      noClasses()
          .that()
          .resideInAPackage("dev.converge.cli..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.converge..internal..")
                  .and(not(resideInAPackage("dev.converge.cli.."))));
}
