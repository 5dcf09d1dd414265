package io.cogflow.job;

import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.video.VideoFormat;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Sampler;
import io.cogflow.schemas.Status;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every symbol of the wire contract's enums maps to a Java constant and back, and every Java constant is reached:
 * a symbol added on one side only fails here (and WireEnums' switches fail to compile).
 */
class WireEnumsTest {

    /** wire → Java → wire is the identity over all wire symbols, and the Java images are all the Java constants. */
    private static <W extends Enum<W>, J extends Enum<J>> void bijective(Class<W> wire, Class<J> java,
                                                                       Function<W, J> toJava, Function<J, W> toWire) {
        for (W w : wire.getEnumConstants()) {
            J j = toJava.apply(w);
            assertThat(j).as("%s.%s", wire.getSimpleName(), w).isNotNull();
            assertThat(toWire.apply(j)).as("%s.%s back", java.getSimpleName(), j).isEqualTo(w);
        }
        assertThat(Arrays.stream(wire.getEnumConstants()).map(toJava)).as("the Java constants reached")
                .containsExactlyInAnyOrder(java.getEnumConstants());
    }

    @Test
    void samplers() {
        bijective(Sampler.class, SamplerKind.class, WireEnums::sampler, WireEnums::sampler);
        assertThat(WireEnums.sampler((Sampler) null)).as("the model's default").isNull();
        assertThat(WireEnums.sampler((SamplerKind) null)).isNull();
    }

    @Test
    void outputFormats() {
        bijective(OutputFormat.class, VideoFormat.class, WireEnums::format, WireEnums::format);
    }

    @Test
    void resultStatuses() {
        bijective(Status.class, ResultStatus.class, WireEnums::status, WireEnums::status);
    }
}
