package io.cogflow.bench.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.vae.FrameChunks;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Chunked VAE decode and encode time per video frame at given frame sizes, with seeded random weights (the
 * arithmetic does not depend on the values).
 */
public final class VaeBenchmark {

    public record Row(String operation, int height, int width, int latentFrames, int videoFrames, double medianMs,
                      double minMs, int runs) {
        @JsonProperty
        public double msPerFrame() {
            return medianMs / videoFrames;
        }
    }

    private final VaeOptions options;
    private final Timer timer;

    public VaeBenchmark(VaeOptions options, int minRuns, double minSeconds) {
        this.options = options;
        this.timer = new Timer(minRuns, minSeconds);
    }

    /** The golden tiny VAE's config (block_out_channels 8, 8, 16, 16; latent 4; one layer per block). */
    public static VaeConfig tinyConfig() {
        return VaeConfig.from(ConfigJson.resource(VaeBenchmark.class, "vae-tiny.json"));
    }

    /**
     * @param sizes frame sizes as {height, width} in pixels (multiples of the spatial scale)
     */
    public List<Row> run(VaeConfig config, int latentFrames, List<int[]> sizes, boolean encode) {
        List<Row> rows = new ArrayList<>();
        int scale = config.spatialScale();
        int videoFrames = FrameChunks.decodedFrames(latentFrames, config.temporalCompressLevel());
        try (CogVideoXVae vae = CogVideoXVae.withWeights(config, options, RandomWeights.gaussian(42))) {
            for (int[] size : sizes) {
                long[] zShape = {1, config.latentChannels(), latentFrames, size[0] / scale, size[1] / scale};
                HostTensor z = new HostTensor(zShape, RandomData.floats(RandomData.count(zShape), 5));
                Timer.Measurement d = timer.measure(() -> vae.decode(z));
                rows.add(new Row("decode", size[0], size[1], latentFrames, videoFrames, d.medianMs(), d.minMs(),
                        d.runs()));
                if (encode) {
                    long[] vShape = {1, config.inChannels(), videoFrames, size[0], size[1]};
                    HostTensor video = new HostTensor(vShape, RandomData.floats(RandomData.count(vShape), 6));
                    Timer.Measurement e = timer.measure(() -> vae.encode(video));
                    rows.add(new Row("encode", size[0], size[1], latentFrames, videoFrames, e.medianMs(), e.minMs(),
                            e.runs()));
                }
            }
        }
        return rows;
    }
}
