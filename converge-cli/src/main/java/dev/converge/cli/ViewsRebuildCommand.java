package dev.converge.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code converge views DIR rebuild}: recomputes every view from the log alone, in one transaction;
 * a progress bar on a terminal.
 */
@Command(
    name = "rebuild",
    mixinStandardHelpOptions = true,
    description = "Recompute every view from the log.")
final class ViewsRebuildCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @ParentCommand ViewsCommand views;

  @Override
  public Integer call() {
    ProgressBar progress = ProgressBar.onConsole(spec.commandLine().getErr(), "rebuild");
    int count =
        views.withViews(
            store -> {
              store.rebuildViews(progress::update);
              return store.viewDefinitions().size();
            });
    progress.finish();
    spec.commandLine().getOut().println("rebuilt " + count + (count == 1 ? " view" : " views"));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
