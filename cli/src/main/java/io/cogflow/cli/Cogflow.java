package io.cogflow.cli;

import io.cogflow.cli.console.StandardStream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code cogflow} command line. */
@Command(name = "cogflow", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Streaming text-to-video generation with CogVideoX on Kafka, Flink and TensorFlow Java.",
        subcommands = {DemoCommand.class, SubmitCommand.class, WatchCommand.class, ExportCommand.class,
                JobCommand.class, ClusterCommand.class, GenerateCommand.class, TrainCommand.class, EvaluateCommand.class, ParityCommand.class,
                BenchCommand.class, PlanCommand.class, SimulateCommand.class,
                CommandLine.HelpCommand.class, AutoComplete.GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success (PASS)", "1:a check failed (FAIL)", "2:invalid arguments", "3:error"})
public final class Cogflow implements Runnable {

    public static final int FAIL = 1;
    public static final int ERROR = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Inherited: {@code cogflow --verbose demo} and {@code cogflow demo --verbose} both work. */
    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Log what Flink, Kafka and cogflow do (INFO, cogflow DEBUG) and print stack traces.")
    void verbose(boolean on) {
        if (on) {
            Logging.verbose();
        }
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line that reports errors as one line, with the stack trace only under --verbose. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Cogflow());
        // picocli hides its completion command by default; here it is a documented command (README)
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        // progress is drawn in place only on a terminal, which this writer can tell
        cli.setErr(new StandardStreamWriter(StandardStream.STDERR));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("cogflow: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (verbose(parsed)) {
                e.printStackTrace(line.getErr());
            }
            return ERROR;
        });
        return cli;
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args) {
        Logging.useCommandLineConfiguration();
        System.exit(commandLine().execute(args));
    }
}
