package dev.converge.sim;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The two halves of converge-sim stay apart: the random simulator ({@code dev.converge.sim}) uses
 * nothing of the exhaustive check, and the exhaustive check ({@code dev.converge.sim.exhaustive})
 * uses only {@link CanonicalSave} of the simulator; neither uses another module's internals.
 */
@AnalyzeClasses(packages = "dev.converge.sim", importOptions = ImportOption.DoNotIncludeTests.class)
class SimArchitectureTest {
  @ArchTest
  static final ArchRule packages_haveNoCycles =
      slices().matching("dev.converge.sim.(**)").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule simulator_usesNothingOfTheExhaustiveCheck =
      noClasses()
          .that()
          .resideInAPackage("dev.converge.sim")
          .should()
          .dependOnClassesThat(resideInAPackage("dev.converge.sim.exhaustive.."));

  @ArchTest
  static final ArchRule exhaustiveCheck_usesOnlyTheCanonicalSaveOfTheSimulator =
      noClasses()
          .that()
          .resideInAPackage("dev.converge.sim.exhaustive..")
          .should()
          .dependOnClassesThat(
              resideInAPackage("dev.converge.sim").and(not(type(CanonicalSave.class))));

  @ArchTest
  static final ArchRule sim_usesNoOtherModulesInternals =
      noClasses()
          .that()
          .resideInAPackage("dev.converge.sim..")
          .should()
          .dependOnClassesThat(resideInAPackage("dev.converge.core.internal.."));
}
