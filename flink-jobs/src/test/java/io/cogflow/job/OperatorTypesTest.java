package io.cogflow.job;

import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.video.VideoFormat;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What travels between the job's operators is serialised by Flink's own serializers, all the way down: a field
 * Flink cannot analyse would silently fall back to Kryo (slower, and its state not evolvable), which only an INFO
 * log line would tell. With generic types disabled such a type fails to get a serializer, so it fails here.
 */
class OperatorTypesTest {

    private static <T> TypeSerializer<T> serializer(Class<T> type) {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return TypeInformation.of(type).createSerializer(config);
    }

    @Test
    void everyTypeBetweenOperatorsHasAFlinkSerializer() {
        for (Class<?> type : new Class<?>[]{Incoming.class, AcceptedRequest.class, DeadLetterInfo.class,
                ResultRecord.class}) {
            assertThat(serializer(type)).as(type.getSimpleName()).isNotNull();
        }
    }

    @Test
    void aRequestSurvivesSerialisationWithItsOptionalFieldsUnset() throws IOException {
        TypeSerializer<AcceptedRequest> serializer = serializer(AcceptedRequest.class);
        for (SamplerKind sampler : new SamplerKind[]{null, SamplerKind.values()[0]}) {
            // a size the validator will reject travels to it as it came: the clip is not checked on the way
            AcceptedRequest r = new AcceptedRequest("r-1", new AcceptedRequest.Prompt("a red circle", ""),
                    new AcceptedRequest.Clip(64, 0, -9, 8), new AcceptedRequest.Sampling(2, 6.0, true, 42, sampler),
                    new AcceptedRequest.Delivery(VideoFormat.MP4, 3, 0, 1_700_000_000_000L));
            byte[] bytes = InstantiationUtil.serializeToByteArray(serializer, r);
            assertThat(InstantiationUtil.deserializeFromByteArray(serializer, bytes)).isEqualTo(r);
        }
    }

    /**
     * The bound the in-flight byte budget rests on ({@code JobConfig.Generation.requestStateBytes}): a request in
     * the generator's state is at most twice its record, whatever script its text is in — ASCII, 2- and 3-byte
     * UTF-8, emoji (4 bytes, two UTF-16 units, the worst case for Flink's string encoding) — with the fields that
     * are not text at their largest.
     */
    @Test
    void aRequestInStateIsBoundedByItsRecord() throws IOException {
        TypeSerializer<AcceptedRequest> serializer = serializer(AcceptedRequest.class);
        for (String unit : new String[]{"a", "é", "日", "😀"}) {
            for (int n : new int[]{1, 100, 2000}) {
                String text = unit.repeat(n);
                byte[] value = RequestDecoderTest.WIRE.encode(RequestDecoderTest.request(unit.repeat(Math.min(n, 60)))
                        .setPrompt(text).setNegativePrompt(text).setSeed(Long.MIN_VALUE).setPriority(Integer.MIN_VALUE)
                        .setDeadline(java.time.Instant.ofEpochMilli(Long.MAX_VALUE / 2)).build());
                AcceptedRequest r = Requests.deserializer(new JobConfig.Validation(8 << 20, 4096, 1 << 20, 4 << 20,
                                1 << 20, 4 << 20, 0, 0, 0, 0, 0, 0), 0)
                        .decode(new org.apache.kafka.clients.consumer.ConsumerRecord<>("t", 0, 0, null, value)).request();
                int state = InstantiationUtil.serializeToByteArray(serializer, r).length;
                assertThat((long) state).as("%d × %s: %d bytes on the wire", n, unit, value.length)
                        .isLessThanOrEqualTo(JobConfig.Generation.requestStateBytes(value.length));
            }
        }
    }
}
