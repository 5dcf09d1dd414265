package io.cogflow.bench.fullsize;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A full-size model, for real: writes a seeded model folder in the hubs' sharded layout, exports it, loads the
 * export and runs one {@code encode_text} and one {@code denoise}. Each of write, export and run is a fresh JVM
 * with a bounded heap ({@link FullSizeStep}), which reports the peak resident size and time of its steps, so
 * the numbers are those a server process would see, native TensorFlow memory included.
 */
public final class FullSizeBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * JavaCPP, under TensorFlow Java, refuses to allocate a tensor once the process's resident size passes its
     * {@code maxPhysicalBytes}, by default 4 × -Xmx: with the bounded heap a TensorFlow process wants, a full-size
     * model passes it while loading ("Physical memory usage is too high: physicalBytes (12422M) >
     * maxPhysicalBytes (12288M)" for 2B + T5-XXL at -Xmx3g). 0 turns the check off; the benchmark's own limit
     * ({@link RssWatch}) bounds the step instead.
     */
    static final String NO_JAVACPP_LIMIT = "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0";

    /**
     * @param textEncoderConfig null (and {@code tokenizer} null) for a model without a text encoder
     * @param workDir     where the model folder ({@code model/}) and the export ({@code export/}) are written
     * @param exportDtype the export's weight storage, {@code float32} or {@code bfloat16}
     * @param compute     the export's compute precision ({@code cogflow export --compute}): float32, bfloat16
     * @param size        the exported video size, e.g. {@code 64x64x9}
     * @param heap        the child JVMs' {@code -Xmx}, e.g. {@code 3g}
     * @param maxRssBytes a step whose resident size passes this is killed (so a model that does not fit stops
     *                    before the machine runs out of memory), and the run ends there, saying so
     * @param steps       which of {@code write}, {@code export}, {@code run} to do, in that order; a step left out
     *                    must have left its folder in {@code workDir} from an earlier run with {@code keep}
     *                    (so the cheap write can run outside a big-memory lock and the rest under it)
     * @param keep        keep the two folders (else they are deleted at the end, their sizes reported; nothing
     *                    else in {@code workDir} is touched)
     */
    public record Options(Path transformerConfig, Path vaeConfig, Path textEncoderConfig, Path tokenizer,
                          long maxShardBytes, long seed, Path workDir, String exportDtype, String compute, String size, int threads,
                          String heap, long maxRssBytes, Set<String> steps, boolean keep) {
        public Options {
            steps = Set.copyOf(steps);
            if (steps.isEmpty() || !STEPS.containsAll(steps)) {
                throw new IllegalArgumentException("steps are some of " + STEPS + ", got " + steps);
            }
        }
    }

    /** The steps in the order they run. */
    public static final List<String> STEPS = List.of("write", "export", "run");

    /**
     * The steps in order, the folders' sizes on disk, and why the run stopped early (null when it did not).
     */
    public record Result(List<StepResult> steps, long modelFolderBytes, long exportBytes, String stopped) {
    }

    /** A step killed for passing the memory limit. */
    private static final class OverLimit extends RuntimeException {
        OverLimit(String message) {
            super(message);
        }
    }

    private FullSizeBenchmark() {
    }

    public static Result run(Options o, Consumer<StepResult> progress) {
        Path model = o.workDir().resolve("model");
        Path export = o.workDir().resolve("export");
        List<StepResult> steps = new ArrayList<>();
        String stopped = null;
        try {
            if (o.steps().contains("write")) {
                step(o, progress, steps, "write", model.toString(), o.transformerConfig().toString(),
                        o.vaeConfig().toString(), orDash(o.textEncoderConfig()), orDash(o.tokenizer()), "BF16",
                        Long.toString(o.maxShardBytes()), Long.toString(o.seed()));
            } else {
                require(model, "model_index.json", "write");
            }
            if (o.steps().contains("export")) {
                step(o, progress, steps, "export", model.toString(), export.toString(), o.exportDtype(),
                        o.size(), o.compute());
            } else if (o.steps().contains("run")) {
                require(export, "saved_model.pb", "export");
            }
            if (o.steps().contains("run")) {
                step(o, progress, steps, "run", export.toString(), Integer.toString(o.threads()));
            }
        } catch (OverLimit e) {
            stopped = e.getMessage();
        }
        try {
            return new Result(List.copyOf(steps), bytes(model), bytes(export), stopped);
        } finally {
            if (!o.keep()) {
                delete(model);
                delete(export);
            }
        }
    }

    private static void step(Options o, Consumer<StepResult> progress, List<StepResult> steps, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + o.heap(), NO_JAVACPP_LIMIT, "-cp", System.getProperty("java.class.path"), FullSizeStep.class.getName()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            RssWatch watch = new RssWatch(p, o.maxRssBytes());
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (!line.isBlank()) {
                        StepResult r = JSON.readValue(line, StepResult.class);
                        steps.add(r);
                        progress.accept(r);
                    }
                }
                p.waitFor();
            } finally {
                watch.stop();
            }
            int code = p.exitValue();
            if (watch.killedAt() > 0) {
                throw new OverLimit(String.format("step %s was stopped at %.2f GiB resident, over the limit of "
                        + "%.2f GiB (its last lines are above)", args[0], watch.killedAt() / (double) (1L << 30),
                        o.maxRssBytes() / (double) (1L << 30)));
            }
            if (code != 0) {
                throw new IllegalStateException("step " + args[0] + " exited with " + code + " (its errors are above)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("step " + args[0] + " could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during step " + args[0], e);
        }
    }

    private static void require(Path dir, String file, String step) {
        if (!Files.isRegularFile(dir.resolve(file))) {
            throw new IllegalArgumentException(dir + " has no " + file + ": without the " + step + " step, an "
                    + "earlier run with --keep must have left it");
        }
    }

    private static String orDash(Path p) {
        return p == null ? "-" : p.toString();
    }

    private static long bytes(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
