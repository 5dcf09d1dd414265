package io.cogflow.scheduling;

import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingPolicyTest {
    private static final VideoSize SIZE = VideoSize.parse("64x64x17");
    private static final BatchProfile PROFILE = new BatchProfile("m", "test", "2026-12-01", 25, 3.0,
            Map.of(SIZE.toString(), List.of(new BatchProfile.Point(1, 500, 400, 100),
                    new BatchProfile.Point(8, 1000, 800, 200))));

    @Test
    void aSlotServesAtTheThroughputOfTheBatchItsPolicyRuns() {
        RoutingPolicy none = new RoutingPolicy(RoutingPolicy.Kind.BUCKET_AFFINE, PROFILE,
                new SlotPolicy.RequestLevel(FixedWaitPolicy.none()));
        RoutingPolicy eight = new RoutingPolicy(RoutingPolicy.Kind.BUCKET_AFFINE, PROFILE,
                new SlotPolicy.RequestLevel(new FixedWaitPolicy(new FixedWaitPolicy.Limits(8, 100), Map.of())));
        RoutingPolicy beyond = new RoutingPolicy(RoutingPolicy.Kind.BUCKET_AFFINE, PROFILE,
                new SlotPolicy.RequestLevel(new FixedWaitPolicy(new FixedWaitPolicy.Limits(64, 100), Map.of())));
        // a slot that never batches serves 2 videos/s, not the profile's best 8/s: its set must be 4× larger
        assertThat(none.slotThroughput(SIZE)).isEqualTo(2.0);
        assertThat(eight.slotThroughput(SIZE)).isEqualTo(8.0);
        // beyond what the profile measured: its largest batch
        assertThat(beyond.slotThroughput(SIZE)).isEqualTo(8.0);
        assertThat(none.slotThroughput(VideoSize.parse("128x128x17"))).isNaN();
    }

    @Test
    void routingNamesAreSpelledAsConfigsDo() {
        assertThat(RoutingPolicy.Kind.parse(null)).isEqualTo(RoutingPolicy.Kind.REBALANCE);
        assertThat(RoutingPolicy.Kind.parse("bucket-affine").configName()).isEqualTo("bucket-affine");
        assertThatThrownBy(() -> RoutingPolicy.Kind.parse("random")).hasMessageContaining("rebalance or "
                + "bucket-affine");
    }
}
