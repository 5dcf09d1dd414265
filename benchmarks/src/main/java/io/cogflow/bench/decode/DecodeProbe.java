package io.cogflow.bench.decode;

import io.cogflow.bench.ProcessMemory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.bench.model.RandomData;
import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.vae.DecodeSignature;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeParameters;
import io.cogflow.model.vae.VaeTiling;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One decode in its own JVM, so that its peak resident memory is its own: builds the exported decode signature
 * for one latent size (tiled or untiled) with seeded weights, runs it on seeded latents, writes the video as raw
 * little-endian float32 and a {@link ProbeResult} JSON. Started by {@link DecodeMemoryBenchmark}, never by hand.
 * <p>
 * Arguments: {@code tiled|untiled latentFrames latentHeight latentWidth outDir [vaeConfig.json]}.
 */
public final class DecodeProbe {
    static final String RESULT = "result.json";
    static final String VIDEO = "video.f32";

    /** What one probe measured; peak memory is the process's VmHWM after the decode. */
    public record ProbeResult(String mode, long peakRssBytes, long rssBeforeDecodeBytes, double buildSeconds,
                              double decodeSeconds, long[] videoShape) {
    }

    private DecodeProbe() {
    }

    public static void main(String[] args) throws IOException {
        boolean tiled = switch (args[0]) {
            case "tiled" -> true;
            case "untiled" -> false;
            default -> throw new IllegalArgumentException("mode must be tiled or untiled, got " + args[0]);
        };
        int frames = Integer.parseInt(args[1]);
        int h = Integer.parseInt(args[2]);
        int w = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        VaeConfig config = args.length > 5 ? VaeConfig.load(Path.of(args[5])) : fullConfig();
        long start = System.nanoTime();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            ModelVariables weights = new ModelVariables(tf, "vae", VaeParameters.decoderSpecs(config),
                    TFloat32.class);
            DecodeSignature s = DecodeSignature.build(tf.withSubScope("decode"), config, weights, frames, h, w,
                    tiled ? VaeTiling.reference(config) : null);
            try (Session session = new Session(g, ConfigProto.getDefaultInstance())) {
                weights.assignAll(session, RandomWeights.gaussian(42));
                double build = (System.nanoTime() - start) / 1e9;
                long[] shape = {1, config.latentChannels(), frames, h, w};
                float[] z = RandomData.floats(RandomData.count(shape), 5);
                long before = ProcessMemory.self().rssBytes();
                long t0 = System.nanoTime();
                try (TFloat32 in = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(z, true, false));
                     Result r = session.runner().feed(s.latents(), in).fetch(s.video()).run()) {
                    double decode = (System.nanoTime() - t0) / 1e9;
                    TFloat32 video = (TFloat32) r.get(0);
                    writeFloats(video, out.resolve(VIDEO));
                    ProbeResult result = new ProbeResult(tiled ? "tiled" : "untiled",
                            ProcessMemory.self().peakRssBytes(), before, build, decode, video.shape().asArray());
                    new ObjectMapper().writeValue(out.resolve(RESULT).toFile(), result);
                }
            }
        }
    }

    /** The full CogVideoX VAE: diffusers' {@code AutoencoderKLCogVideoX} defaults, which the 2B and 5B ship. */
    static VaeConfig fullConfig() {
        return VaeConfig.from(ConfigJson.parse("{}"));
    }

    private static void writeFloats(TFloat32 t, Path file) throws IOException {
        long n = t.shape().size();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            float[] block = new float[buf.capacity() / Float.BYTES];
            for (long i = 0; i < n; i += block.length) {
                int len = (int) Math.min(block.length, n - i);
                t.asRawTensor().data().asFloats().offset(i).read(block, 0, len);
                buf.clear();
                buf.asFloatBuffer().put(block, 0, len);
                buf.limit(len * Float.BYTES);
                ch.write(buf);
            }
        }
        if (Files.size(file) != n * Float.BYTES) {
            throw new IOException(file + " is incomplete");
        }
    }
}
