package io.cogflow.training;

import io.cogflow.model.sampling.SeededNoise;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Simulates what {@link TimestepSampler}'s stratification buys: the variance of the per-step mean loss (the
 * average over R ranks × per-rank batch, i.e. what one optimiser step sees) with independent uniform timesteps
 * on every rank versus one interval per rank.
 *
 * <p>The synthetic per-sample loss is L(t) + σ·z, z ~ N(0,1). L is piecewise linear through the CogVideoX
 * paper's validation losses with explicit uniform sampling at t = 100, 300, 500, 700, 900 (0.216, 0.126, 0.116,
 * 0.129, 0.157; docs/cogvideox.md §5), extended linearly to t = 0 and t = 999. σ stands for everything that
 * varies between samples at a fixed t (content, noise draw); stratification cannot reduce that part.
 *
 * <p>Alongside the simulated variances the study prints the exact expectations: independent
 * (Var_t L + σ²)/(R·b), stratified (mean_r Var_{t∈interval r} L + σ²)/(R·b) — stratification removes the
 * between-interval part of Var_t L.
 *
 * <p>Run after compiling the module ({@code mvn -q -o -pl model compile}):
 * {@code java -cp model/target/classes io.cogflow.training.TimestepVarianceStudy}.
 */
public final class TimestepVarianceStudy {
    static final int TRAIN_TIMESTEPS = 1000;
    private static final double[] KNOT_T = {100, 300, 500, 700, 900};
    private static final double[] KNOT_LOSS = {0.216, 0.126, 0.116, 0.129, 0.157};

    /** Default study parameters (the ones in docs/training-math.md). */
    public static final int PER_RANK_BATCH = 2;
    public static final int STEPS = 20_000;
    public static final double SAMPLE_NOISE = 0.02;
    public static final long SEED = 20240827L;

    private TimestepVarianceStudy() {
    }

    /** One line of the table: variances of the per-step mean loss. */
    public record Row(int ranks, int perRankBatch, double independent, double stratified,
                      double expectedIndependent, double expectedStratified) {
        public double ratio() {
            return stratified / independent;
        }
    }

    /** The synthetic mean loss at timestep t: piecewise linear through the paper's points, linear beyond. */
    public static double lossCurve(double t) {
        int k = 0;
        while (k < KNOT_T.length - 2 && t > KNOT_T[k + 1]) {
            k++;
        }
        double slope = (KNOT_LOSS[k + 1] - KNOT_LOSS[k]) / (KNOT_T[k + 1] - KNOT_T[k]);
        return KNOT_LOSS[k] + slope * (t - KNOT_T[k]);
    }

    public static Row simulate(int ranks, int perRankBatch, int steps, double sampleNoise, long seed) {
        TimestepSampler[] stratified = TimestepSampler.forRanks(TRAIN_TIMESTEPS, ranks, seed);
        TimestepSampler[] independent = new TimestepSampler[ranks];
        for (int r = 0; r < ranks; r++) {
            // R = 1 sampler = plain uniform over [0, T); a distinct seed per rank as a real run would use
            independent[r] = new TimestepSampler(TRAIN_TIMESTEPS, 1, 0, seed + 1 + r);
        }
        SeededNoise noise = new SeededNoise(seed ^ 0x5DEECE66DL);
        float[] z = new float[ranks * perRankBatch];
        double[] stepIndependent = new double[steps];
        double[] stepStratified = new double[steps];
        for (int s = 0; s < steps; s++) {
            stepIndependent[s] = stepMean(independent, perRankBatch, sampleNoise, noise, z);
            stepStratified[s] = stepMean(stratified, perRankBatch, sampleNoise, noise, z);
        }
        int n = ranks * perRankBatch;
        double noiseVar = sampleNoise * sampleNoise;
        double withinMean = 0;
        for (TimestepSampler sampler : stratified) {
            int[] iv = sampler.interval();
            withinMean += curveVariance(iv[0], iv[1]) / ranks;
        }
        return new Row(ranks, perRankBatch, variance(stepIndependent), variance(stepStratified),
                (curveVariance(0, TRAIN_TIMESTEPS) + noiseVar) / n, (withinMean + noiseVar) / n);
    }

    private static double stepMean(TimestepSampler[] samplers, int perRankBatch, double sampleNoise,
                                   SeededNoise noise, float[] z) {
        noise.fill(z);
        double sum = 0;
        int i = 0;
        for (TimestepSampler sampler : samplers) {
            for (long t : sampler.next(perRankBatch)) {
                sum += lossCurve(t) + sampleNoise * z[i++];
            }
        }
        return sum / z.length;
    }

    /** Variance of L(t) for t uniform on the integers [lo, hi). */
    static double curveVariance(int lo, int hi) {
        double mean = 0;
        for (int t = lo; t < hi; t++) {
            mean += lossCurve(t);
        }
        mean /= hi - lo;
        double var = 0;
        for (int t = lo; t < hi; t++) {
            double d = lossCurve(t) - mean;
            var += d * d;
        }
        return var / (hi - lo);
    }

    private static double variance(double[] xs) {
        double mean = 0;
        for (double x : xs) {
            mean += x;
        }
        mean /= xs.length;
        double var = 0;
        for (double x : xs) {
            var += (x - mean) * (x - mean);
        }
        return var / (xs.length - 1);
    }

    public static List<Row> run() {
        List<Row> rows = new ArrayList<>();
        for (int ranks : new int[] {2, 4, 8}) {
            rows.add(simulate(ranks, PER_RANK_BATCH, STEPS, SAMPLE_NOISE, SEED));
        }
        return rows;
    }

    public static String table(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| R | per-rank batch | independent var | stratified var | ratio | expected indep. | expected strat. |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %d | %d | %.3e | %.3e | %.3f | %.3e | %.3e |%n",
                    r.ranks(), r.perRankBatch(), r.independent(), r.stratified(), r.ratio(),
                    r.expectedIndependent(), r.expectedStratified()));
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "per-step mean loss variance, %d steps, sample noise sd %.3f, seed %d%n",
                STEPS, SAMPLE_NOISE, SEED);
        System.out.print(table(run()));
    }
}
