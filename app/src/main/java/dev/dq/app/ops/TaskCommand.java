package dev.dq.app.ops;

import dev.dq.app.config.AppSettings;
import dev.dq.app.config.VersionProvider;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code dq task}: one task, by its id. */
@Command(
    name = "task",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    header = "Acts on one task, by its id: cancel.")
public final class TaskCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /**
   * The {@code task} command with its subcommands; {@code app} and {@code sessions} as for {@link
   * PublishCommand}.
   */
  public static CommandLine commandLine(Supplier<AppSettings> app, BrokerSessions sessions) {
    CommandLine task = new CommandLine(new TaskCommand());
    task.addSubcommand("cancel", new TaskCancelCommand(app, sessions));
    return task;
  }

  /** Without a subcommand there is nothing to do: show the usage, as a usage error. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }
}
