package dev.dq.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Gives picocli the value of a {@link Setting} option whose flag was not given: its {@code DQ_*}
 * variable, read from the resolver's map (never {@code System.getenv}, so tests inject it), else
 * the row's default.
 *
 * <p>A bad variable is not handed to picocli, whose error would name the flag and would also stop
 * {@code --help}: it is remembered, and {@link #check} reports it, naming the variable, once the
 * help has had its chance, as the hand-written resolution did. After parsing ({@link #parsed}), the
 * help shows each row's own default whatever the environment holds.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
  /**
   * Splits the items of a list variable for a repeatable option: no command-line argument can hold
   * a NUL character, so a flag's value is never split by it.
   */
  public static final String ITEMS = "\\x00";

  private final SettingResolver env;
  private final List<BadSettingException> bad = new ArrayList<>();
  private boolean parsed;

  public EnvironmentDefaults(SettingResolver env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /**
   * Makes {@code env} the environment of {@code cl} and of the subcommands it holds now, and runs
   * their commands through {@link #execute}. Call it once the subcommands are added.
   */
  public static void install(CommandLine cl, SettingResolver env) {
    EnvironmentDefaults defaults = new EnvironmentDefaults(env);
    cl.setDefaultValueProvider(defaults);
    cl.setExecutionStrategy(defaults::execute);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    Setting<?> setting = Setting.of(arg);
    if (setting == null) {
      return null;
    }
    String raw = env.vars().get(setting.variable());
    if (parsed || raw == null || raw.isBlank()) {
      return setting.defaultValue();
    }
    List<String> items = arg.isMultiValue() ? items(raw) : List.of(raw);
    if (items.isEmpty()) {
      return setting.defaultValue();
    }
    for (String item : items) {
      if (setting.parse(item) == null) {
        bad.add(SettingResolver.bad(setting.variable(), item, setting.expected()));
        return setting.defaultValue();
      }
    }
    return String.join("\0", items);
  }

  /** Parsing is over: from now on only the help asks, and it shows the rows' defaults. */
  public void parsed() {
    parsed = true;
  }

  /** Throws, as a usage error of {@code cl}, the first bad variable met while parsing. */
  public void check(CommandLine cl) {
    if (!bad.isEmpty()) {
      throw new ParameterException(cl, bad.get(0).getMessage());
    }
  }

  /**
   * The execution strategy of a command line using these defaults: help first, then the bad
   * variables, then the command.
   */
  public int execute(ParseResult result) {
    parsed();
    Integer help = CommandLine.executeHelpRequest(result);
    if (help != null) {
      return help;
    }
    List<CommandLine> parsedCommands = result.asCommandLineList();
    check(parsedCommands.get(parsedCommands.size() - 1));
    return new CommandLine.RunLast().execute(result);
  }

  private static List<String> items(String raw) {
    return List.of(raw.split(",")).stream()
        .map(String::trim)
        .filter(item -> !item.isEmpty())
        .toList();
  }
}
