package io.cogflow.cli;

import io.cogflow.job.JobConfig;
import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.scheduling.RoutingPolicy;
import io.cogflow.scheduling.SlotPolicy;
import io.cogflow.simulator.BestCase;
import io.cogflow.simulator.Burst;
import io.cogflow.simulator.CostModel;
import io.cogflow.simulator.Validation;
import io.cogflow.bench.Charts;
import io.cogflow.simulator.Mix;
import io.cogflow.simulator.Pipeline;
import io.cogflow.simulator.Result;
import io.cogflow.simulator.ResultTable;
import io.cogflow.simulator.Service;
import io.cogflow.simulator.SimRequest;
import io.cogflow.simulator.Simulation;
import io.cogflow.simulator.SlotSearch;
import io.cogflow.simulator.Sweep;
import io.cogflow.simulator.TraceFile;
import io.cogflow.simulator.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code cogflow simulate}: the service on simulated time (the simulator module), with the job's own schedulers
 * and routers and costs from a batch profile. Three modes: a fixed arrival rate or a recorded trace (one run per
 * policy × routing), a sweep over fractions of the simulated capacity, or the fewest slots that meet a p95
 * target at a rate.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulates the service (no model, no Kafka, no Flink): N generator slots running the job's own "
                + "schedulers and routers on simulated time, costs from a batch profile, results visible at "
                + "checkpoints. Prints throughput, end-to-end and queueing latency percentiles, busy fraction, mean "
                + "batch and whether the queue grows."})
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--profile", required = true,
            description = "The batch profile the costs come from (cogflow bench profile, or a derived one such as "
                    + "configs/profiles/h100-cogvideox-2b.json); adaptive and continuous batching plan from it too.")
    Path profile;

    @Option(names = "--config", defaultValue = "configs/demo.yaml",
            description = "Job config for the batching settings (fixed limits, latency target, continuous "
                    + "settings) and the checkpoint interval (default configs/demo.yaml).")
    Path config;

    @Option(names = "--slots", defaultValue = "1", description = "Generator slots (default 1).")
    int slots;

    @Option(names = "--policy", split = ",", defaultValue = "fixed",
            description = "Batching policies: none, fixed, adaptive, continuous (comma list; default fixed).")
    List<String> policies;

    @Option(names = "--routing", split = ",", defaultValue = "rebalance",
            description = "Routing: rebalance, bucket-affine (comma list; default rebalance).")
    List<String> routings;

    @Option(names = "--rate", description = "Mean arrivals per second.")
    Double rate;

    @Option(names = "--loads", split = ",",
            description = "Sweep: offered load as fractions of the simulated capacity, e.g. 0.5,0.8,0.95.")
    double[] loads;

    @Option(names = "--capacity-reference", defaultValue = "own",
            description = "What --loads are fractions of: own (each policy/routing's own capacity; default) or best "
                    + "(the highest of them, the same arrivals for all).")
    String capacityReference;

    @Option(names = "--search-p95-s",
            description = "With --rate: find the fewest slots whose p95 end-to-end latency is at most this many "
                    + "seconds without the queue growing (--slots is ignored).")
    Double searchP95Seconds;

    @Option(names = "--mix", description = "Sizes and fractions, e.g. 720x480x49:0.6,480x480x25:0.25,256x256x17:0.15 "
            + "(default: the profile's buckets, equally).")
    String mix;

    @Option(names = "--steps-mix", description = "Denoising steps and fractions, e.g. 50:0.8,20:0.2 (default: the "
            + "profile's steps).")
    String stepsMix;

    @Option(names = "--priority-mix", defaultValue = "0", description = "Priorities and fractions, e.g. 0:0.9,5:0.1 "
            + "(default 0).")
    String priorityMix;

    @Option(names = "--burst", description = "On/off bursts FACTOR,ON_SECONDS,PERIOD_SECONDS (the mean rate is kept), "
            + "e.g. 3,120,900.")
    String burst;

    @Option(names = "--trace", description = "Arrivals from a file instead: CSV arrival_s,size,steps[,priority] or "
            + "JSON lines (.jsonl).")
    Path trace;

    @Option(names = "--requests", defaultValue = "2000", description = "Requests per run, at most (default 2000).")
    int requests;

    @Option(names = "--seconds", description = "Arrivals stop after this many simulated seconds.")
    Double seconds;

    @Option(names = "--checkpoint-ms", description = "Checkpoint interval (default: the config's "
            + "checkpoint_interval_ms); 0: results visible at once.")
    Long checkpointMs;

    @Option(names = "--commit-delay-ms", defaultValue = "0",
            description = "From a checkpoint's completion to its results being visible (default 0).")
    double commitDelayMs;

    @Option(names = "--overhead-ms", defaultValue = "0",
            description = "Fixed time per request outside the slot: Kafka in, MP4 encode, Kafka out (default 0).")
    double overheadMs;

    @Option(names = "--validate", paramLabel = "FILE",
            description = "Replay every level of a `cogflow bench load --json` report (its arrivals as sent, its "
                    + "policies) through the simulated service and print predicted against measured p50 and p95.")
    Path validateAgainst;

    @Option(names = "--tolerance", defaultValue = "0.2",
            description = "With --validate: the largest relative error that counts as predicted (default 0.2).")
    double tolerance;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of arrivals and draws (default 7).")
    long seed;

    @Option(names = "--plot", description = "With --loads: write the latency-against-load PNG here.")
    Path plot;

    @Mixin
    JsonOutput json;

    /** The --json document: the settings, then the runs, the sweeps or the slot searches (latencies in ms). */
    record Output(Path profile, String profileMachine, Path config, int slots, String workload, double checkpointMs,
                  double overheadMs, double commitDelayMs, List<Result> runs, List<Sweep> sweeps,
                  List<Search> searches, List<Validation> validations, Path plotFile) {
    }

    /** One slot search: the fewest slots, its run, and every slot count tried. */
    record Search(String policy, String routing, double p95TargetMs, int slots, double capacityPerSecond,
                  Result result, List<Integer> tried) {
    }

    @Override
    public Integer call() {
        PrintWriter out = json.text();
        validate();
        BatchProfile p = BatchProfile.read(profile);
        JobConfig jobConfig = JobConfig.load(config);
        // the policies plan from the profile the costs come from, whatever profile the config names
        JobConfig.Batching batching = jobConfig.batching().withProfile(profile.toString());
        long checkpoint = checkpointMs != null ? checkpointMs : jobConfig.checkpointIntervalMs();
        Pipeline pipeline = new Pipeline(overheadMs, checkpoint, commitDelayMs);
        CostModel costs = new CostModel(p);
        List<Service> services = new ArrayList<>();
        for (String policy : policies) {
            for (String routing : routings) {
                SlotPolicy slotPolicy = batching.withPolicy(policy.trim()).toSlotPolicy();
                services.add(new Service(policy.trim(), slotPolicy,
                        new RoutingPolicy(RoutingPolicy.Kind.parse(routing), p, slotPolicy), slots, costs, pipeline));
            }
        }
        if (validateAgainst != null) {
            out.printf(Locale.ROOT, "profile %s (%s, %d steps)%nconfig %s; %d slot(s); the arrivals of %s; "
                            + "checkpoints every %d ms, commit delay %.0f ms, overhead %.0f ms per request%n%n",
                    profile, p.machine(), p.steps(), config, slots, validateAgainst, checkpoint, commitDelayMs,
                    overheadMs);
            List<Validation> validations = validate(batching, p, costs, pipeline, out);
            json.result(new Output(profile, p.machine(), config, slots, "the arrivals of " + validateAgainst,
                    checkpoint, overheadMs, commitDelayMs, List.of(), List.of(), List.of(), validations, null));
            return validations.stream().allMatch(v -> v.within(tolerance)) ? 0 : 1;
        }
        Workload workload = trace == null ? workload(p) : null;
        String described = trace != null ? "trace " + trace : describe(workload);
        out.printf(Locale.ROOT, "profile %s (%s, %d steps)%nconfig %s; %d slot(s); %s; checkpoints every %d ms, "
                        + "commit delay %.0f ms, overhead %.0f ms per request%n%n", profile, p.machine(), p.steps(),
                config, slots, described, checkpoint, commitDelayMs, overheadMs);
        out.flush();
        List<Result> runs = new ArrayList<>();
        List<Sweep> sweeps = new ArrayList<>();
        List<Search> searches = new ArrayList<>();
        if (loads != null) {
            sweeps = sweep(services, workload, out);
        } else if (searchP95Seconds != null) {
            searches = search(services, workload, out);
        } else {
            List<SimRequest> arrivals = trace != null ? TraceFile.read(trace) : workload.generate();
            ResultTable.header(out);
            for (Service s : services) {
                Result r = new Simulation(s).run(arrivals);
                runs.add(r);
                ResultTable.row(out, r);
                out.flush();
            }
            printWallTimes(out, runs);
        }
        out.flush();
        json.result(new Output(profile, p.machine(), config, slots, described, checkpoint, overheadMs, commitDelayMs,
                runs, sweeps, searches, List.of(), plot));
        return 0;
    }

    /** Every level of the load report, replayed; a table of predicted against measured. */
    private List<Validation> validate(JobConfig.Batching batching, BatchProfile p, CostModel costs, Pipeline pipeline,
                                      PrintWriter out) {
        List<LoadReportLevel> levels = LoadReportLevel.read(validateAgainst);
        List<Validation> validations = new ArrayList<>();
        // the yardstick: every video at the profile's best cost per video, at once, in arrival order
        BatchProfile best = BestCase.profile(p);
        SlotPolicy alone = batching.withPolicy("none").toSlotPolicy();
        Service bestCase = new Service("best case", alone,
                new RoutingPolicy(RoutingPolicy.Kind.REBALANCE, best, alone), slots, new CostModel(best), pipeline);
        out.printf(Locale.ROOT, "%-11s %5s %10s %10s %7s %10s %10s %7s  %-10s %10s %10s%n", "policy", "load",
                "p50 meas.", "predicted", "error", "p95 meas.", "predicted", "error",
                "within " + Math.round(100 * tolerance) + " %", "best p50", "best p95");
        for (LoadReportLevel level : levels) {
            SlotPolicy slotPolicy = batching.withPolicy(level.policy()).toSlotPolicy();
            Service service = new Service(level.policy(), slotPolicy,
                    new RoutingPolicy(RoutingPolicy.Kind.REBALANCE, p, slotPolicy), slots, costs, pipeline);
            List<SimRequest> arrivals = Validation.requests(level.arrivals());
            Result r = new Simulation(service).run(arrivals).atLoad(level.load());
            Result floor = new Simulation(bestCase).run(arrivals).atLoad(level.load());
            Validation v = new Validation(level.policy(), level.load(), level.p50Ms(), level.p95Ms(), r, floor);
            validations.add(v);
            out.printf(Locale.ROOT, "%-11s %4.0f%% %10.2f %10.2f %+6.0f%% %10.2f %10.2f %+6.0f%%  %-10s %10.2f %10.2f%n",
                    v.policy(), 100 * v.load(), v.measuredP50Ms() / 1000, r.latencyMs().p50() / 1000,
                    100 * v.p50Error(), v.measuredP95Ms() / 1000, r.latencyMs().p95() / 1000, 100 * v.p95Error(),
                    v.within(tolerance) ? "yes" : "NO", floor.latencyMs().p50() / 1000, floor.latencyMs().p95() / 1000);
            out.flush();
        }
        long ok = validations.stream().filter(v -> v.within(tolerance)).count();
        out.printf(Locale.ROOT, "%n%d of %d levels predicted within %.0f %% (p50 and p95)%n", ok, validations.size(),
                100 * tolerance);
        return validations;
    }

    private List<Sweep> sweep(List<Service> services, Workload workload, PrintWriter out) {
        List<Sweep> sweeps = Sweep.compare(services, workload, loads, Sweep.Reference.parse(capacityReference));
        for (Sweep s : sweeps) {
            out.printf(Locale.ROOT, "capacity %-11s %-13s %.4f videos/s (%.0f / hour); loads of %.4f%n", s.policy(),
                    s.routing(), s.ownCapacityPerSecond(), 3600 * s.ownCapacityPerSecond(), s.referencePerSecond());
        }
        out.println();
        ResultTable.header(out);
        List<Result> all = new ArrayList<>();
        for (Sweep s : sweeps) {
            s.levels().forEach(r -> ResultTable.row(out, r));
            all.addAll(s.levels());
        }
        printWallTimes(out, all);
        if (plot != null) {
            // p95 per policy/routing; p50 stays in the tables (sixteen lines would hide each other)
            List<Charts.Line> lines = sweeps.stream().map(s -> new Charts.Line(s.policy() + "/" + s.routing(),
                    s.levels().stream().map(r -> 100 * r.load()).toList(),
                    s.levels().stream().map(r -> r.latencyMs().p95() / 1000).toList())).toList();
            Charts.write(plot, String.format(Locale.ROOT, "Simulated latency against load, %d slot(s)", slots),
                    String.format(Locale.ROOT, "offered load, %% of %.3f videos/s",
                            sweeps.isEmpty() ? Double.NaN : sweeps.get(0).referencePerSecond()),
                    "p95 end-to-end latency, s", false, lines);
            out.println("plot written to " + plot);
        }
        return sweeps;
    }

    private List<Search> search(List<Service> services, Workload workload, PrintWriter out) {
        List<Search> searches = new ArrayList<>();
        ResultTable.header(out);
        for (Service s : services) {
            SlotSearch found = SlotSearch.of(s, workload, searchP95Seconds * 1000);
            ResultTable.row(out, found.result());
            out.printf(Locale.ROOT, "  -> %s/%s: %d slots meet p95 <= %.0f s, capacity %.4f videos/s (tried %s)%n",
                    s.policyName(), s.routing().kind().configName(), found.slots(), searchP95Seconds, found.capacity(),
                    found.tried());
            out.flush();
            searches.add(new Search(s.policyName(), s.routing().kind().configName(), searchP95Seconds * 1000,
                    found.slots(), found.capacity(), found.result(), found.tried()));
        }
        return searches;
    }

    private static void printWallTimes(PrintWriter out, List<Result> runs) {
        out.printf(Locale.ROOT, "simulation wall time: %.0f ms in all, %.0f ms the longest run%n",
                runs.stream().mapToDouble(Result::wallMs).sum(),
                runs.stream().mapToDouble(Result::wallMs).max().orElse(0));
    }

    private void validate() {
        int modes = (rate != null ? 1 : 0) + (loads != null ? 1 : 0) + (trace != null ? 1 : 0)
                + (validateAgainst != null ? 1 : 0);
        if (modes != 1) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --rate, --loads, --trace and "
                    + "--validate");
        }
        if (searchP95Seconds != null && rate == null) {
            throw new ParameterException(spec.commandLine(), "--search-p95-s needs --rate");
        }
        if (plot != null && loads == null) {
            throw new ParameterException(spec.commandLine(), "--plot draws a sweep: it needs --loads");
        }
        if (trace != null && (mix != null || stepsMix != null || burst != null || !"0".equals(priorityMix))) {
            throw new ParameterException(spec.commandLine(), "a --trace states its own sizes, steps, priorities and "
                    + "arrival times: --mix, --steps-mix, --priority-mix and --burst do not apply");
        }
        if (slots < 1 || requests < 1) {
            throw new ParameterException(spec.commandLine(), "--slots and --requests must be at least 1");
        }
    }

    private Workload workload(BatchProfile p) {
        Mix<VideoSize> sizes;
        if (mix != null) {
            sizes = Mix.parse(mix, VideoSize::parse);
        } else {
            Map<VideoSize, Double> equal = new LinkedHashMap<>();
            p.buckets().keySet().forEach(k -> equal.put(VideoSize.parse(k), 1.0 / p.buckets().size()));
            sizes = new Mix<>(equal);
        }
        Mix<Integer> steps = stepsMix == null ? Mix.only(p.steps()) : Mix.parse(stepsMix, Integer::parseInt);
        Mix<Integer> priorities = Mix.parse(priorityMix, Integer::parseInt);
        // a sweep sets the rate per level; 1/s is only a placeholder there
        double r = rate != null ? rate : 1;
        return new Workload(r, burst == null ? null : Burst.parse(burst), sizes, steps, priorities, requests,
                seconds == null ? Double.POSITIVE_INFINITY : seconds, seed);
    }

    private String describe(Workload w) {
        return String.format(Locale.ROOT, "%s%s; sizes %s, steps %s, priorities %s; %d requests%s",
                rate != null ? String.format(Locale.ROOT, "Poisson %.4f/s", rate) : "Poisson at the loads",
                w.burst() == null ? "" : " with bursts " + w.burst(), w.sizes(), w.steps(), w.priorities(),
                w.requests(), seconds == null ? "" : String.format(Locale.ROOT, " within %.0f s", seconds));
    }
}
