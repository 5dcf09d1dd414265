package io.cogflow.job;

import io.cogflow.connectors.claimcheck.ClaimCheckStore;
import io.cogflow.connectors.claimcheck.ClaimCheckStores;
import io.cogflow.connectors.claimcheck.StoredObject;
import io.cogflow.model.video.VideoEncoder;
import io.cogflow.model.video.VideoEncoders;
import io.cogflow.model.video.VideoFormat;
import io.cogflow.model.video.VideoFrames;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

import java.security.MessageDigest;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Encodes generated frames into the requested format on ordinary CPU slots (so encoding never holds a GPU) and
 * decides inline versus claim check: above the inline limit the video goes to the store under a name derived
 * from the request id — a replay overwrites it — and the result carries its URI, size, SHA-256 and MIME type.
 */
public final class EncodeFunction extends RichMapFunction<ResultRecord, ResultRecord> {
    private final JobConfig config;
    private transient ClaimCheckStore store;
    private transient Map<ResultStatus, Counter> byStatus;

    public EncodeFunction(JobConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext context) throws Exception {
        // here, not in the constructor: the file system (a cluster's s3/gs/abfs plugin) exists on the TaskManager,
        // and a scheme without one fails the task at start, naming the plugin, rather than at the first large video
        store = ClaimCheckStores.forUri(config.results().claimCheckUri(), config.results().claimCheckPermissions());
        byStatus = new EnumMap<>(ResultStatus.class);
        for (ResultStatus s : ResultStatus.values()) {
            byStatus.put(s, ResultMetrics.counter(getRuntimeContext().getMetricGroup(), s));
        }
    }

    @Override
    public ResultRecord map(ResultRecord generated) throws Exception {
        byStatus.get(generated.status()).inc();
        if (generated.status() != ResultStatus.SUCCEEDED) {
            return generated.stampedNow();
        }
        AcceptedRequest r = generated.request();
        AcceptedRequest.Clip clip = r.clip();
        long t0 = System.nanoTime();
        VideoFormat format = r.delivery().format();
        VideoEncoder encoder = VideoEncoders.forFormat(format);
        byte[] bytes = encoder.encode(new VideoFrames(clip.frames(), clip.height(), clip.width(), generated.frames()),
                clip.fps());
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        byte[] inline = null;
        String uri = null;
        if (bytes.length <= config.results().inlineLimitBytes()) {
            inline = bytes;
        } else {
            StoredObject stored = store.put(r.requestId(), bytes, format.mimeType(), format.extension());
            uri = stored.uri().toString();
        }
        double encodeMs = (System.nanoTime() - t0) / 1e6;
        return generated.encoded(new ResultRecord.EncodedVideo(format.mimeType(), bytes.length, sha, inline, uri), encodeMs);
    }
}
