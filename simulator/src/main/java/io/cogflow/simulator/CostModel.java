package io.cogflow.simulator;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.scheduling.Queued;
import io.cogflow.scheduling.SlotWork;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What each kind of {@link SlotWork} costs on one slot, derived from a {@link BatchProfile}, which measured whole
 * generations only (per bucket and batch size b: {@code batch_ms} = text + {@code steps} denoising steps with
 * guidance + decode, and the denoise and decode parts of it). Every part is interpolated over the batch size the
 * way {@link BatchProfile#batchMs} interpolates the whole: the measured points, linear between them, beyond the
 * largest at that point's cost per video, below the smallest at the smallest's ({@link #interpolate}).
 * <ul>
 *   <li><b>Step</b> over b requests: {@code denoise_ms(b) / steps}. The profile's denoising ran {@code steps}
 *       identical batched steps, each a transformer call over 2b rows (guidance), so one step is that share; the
 *       scheduler math per step is the same for every request whatever its timestep.</li>
 *   <li><b>Decode</b> of k videos: {@code decode_ms(k)}, the profile's decode of a batch of k.</li>
 *   <li><b>Admit</b> of k requests (text encoding and initial noise): what the profile's whole batch took beyond
 *       denoise and decode, {@code batch_ms(k) − denoise_ms(k) − decode_ms(k)}, at least 0: the three are medians
 *       measured separately, so on a machine where text encoding is nearly free the difference can come out
 *       slightly negative (the first demo model's CPU profile at batch 1: −5.1 ms).</li>
 *   <li><b>Generate</b> (a request-level batch of b requests with steps s<sub>i</sub>): admit(b), then
 *       max<sub>i</sub>(s<sub>i</sub>) steps where step k runs over the requests with s<sub>i</sub> ≥ k (a request
 *       with fewer steps leaves the batch when its steps are done, as the sampling loop does), then decode(b). For b
 *       requests all with the profile's steps this is exactly {@code batch_ms(b)} wherever admit is not clamped.</li>
 * </ul>
 * Sizes the profile does not cover are refused: there is nothing honest to say about their cost.
 */
public final class CostModel {

    private final BatchProfile profile;

    public CostModel(BatchProfile profile) {
        this.profile = profile;
    }

    public BatchProfile profile() {
        return profile;
    }

    /** Milliseconds of one batched denoising step (with guidance) over {@code batch} requests. */
    public double stepMs(VideoSize size, int batch) {
        return interpolate(size, batch, BatchProfile.Point::denoiseMs) / profile.steps();
    }

    /** Milliseconds to decode {@code videos} finished requests together. */
    public double decodeMs(VideoSize size, int videos) {
        return interpolate(size, videos, BatchProfile.Point::decodeMs);
    }

    /** Milliseconds of text encoding and initial noise for {@code requests} joining together. */
    public double admitMs(VideoSize size, int requests) {
        double rest = interpolate(size, requests, BatchProfile.Point::batchMs)
                - interpolate(size, requests, BatchProfile.Point::denoiseMs)
                - interpolate(size, requests, BatchProfile.Point::decodeMs);
        return Math.max(0, rest);
    }

    /** Milliseconds of a whole request-level batch whose requests take these step counts. */
    public double generateMs(VideoSize size, List<Integer> steps) {
        int b = steps.size();
        if (b == 0) {
            throw new IllegalArgumentException("a batch needs at least one request");
        }
        int[] sorted = steps.stream().mapToInt(Integer::intValue).sorted().toArray();
        double ms = admitMs(size, b) + decodeMs(size, b);
        // sorted[i] is the step count of the request that leaves i-th; between the previous leaver and it,
        // b − i requests step together
        int done = 0;
        for (int i = 0; i < b; i++) {
            int until = sorted[i];
            ms += (until - done) * stepMs(size, b - i);
            done = until;
        }
        return ms;
    }

    /** Milliseconds of any work a scheduler hands out (not idling). */
    public double workMs(SlotWork<?> work) {
        if (work instanceof SlotWork.Generate<?> g) {
            return generateMs(g.size(), g.requests().stream().map(Queued::steps).toList());
        }
        if (work instanceof SlotWork.Admit<?> a) {
            return admitMs(a.size(), a.requests().size());
        }
        if (work instanceof SlotWork.Step<?> s) {
            return stepMs(s.size(), s.running().size());
        }
        if (work instanceof SlotWork.Decode<?> d) {
            return decodeMs(d.size(), d.finished().size());
        }
        throw new IllegalArgumentException("idling has no cost: " + work);
    }

    /** The most requests the profile measured together in this bucket: what a slot's memory is known to hold. */
    public int largestMeasuredBatch(VideoSize size) {
        List<BatchProfile.Point> p = profile.points(size);
        return p.get(p.size() - 1).batch();
    }

    public boolean covers(VideoSize size) {
        return profile.covers(size);
    }

    /** One field of the profile's points at any batch size, interpolated exactly as {@link BatchProfile#batchMs}. */
    double interpolate(VideoSize size, int batch, ToDoubleFunction<BatchProfile.Point> field) {
        List<BatchProfile.Point> p = profile.points(size);
        BatchProfile.Point first = p.get(0);
        if (batch <= first.batch()) {
            return field.applyAsDouble(first);
        }
        for (int i = 1; i < p.size(); i++) {
            BatchProfile.Point hi = p.get(i);
            if (batch <= hi.batch()) {
                BatchProfile.Point lo = p.get(i - 1);
                double f = (double) (batch - lo.batch()) / (hi.batch() - lo.batch());
                return field.applyAsDouble(lo) + f * (field.applyAsDouble(hi) - field.applyAsDouble(lo));
            }
        }
        BatchProfile.Point last = p.get(p.size() - 1);
        return field.applyAsDouble(last) / last.batch() * batch;
    }
}
