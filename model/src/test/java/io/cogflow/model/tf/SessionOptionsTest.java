package io.cogflow.model.tf;

import org.junit.jupiter.api.Test;
import org.tensorflow.proto.ConfigProto;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SessionOptionsTest {

    @Test
    void aGpuSessionSeesOnlyItsGpuAndGrowsItsMemory() {
        ConfigProto proto = new SessionOptions(4, 1, "2").toConfigProto();

        assertThat(proto.getIntraOpParallelismThreads()).isEqualTo(4);
        assertThat(proto.getInterOpParallelismThreads()).isEqualTo(1);
        assertThat(proto.getAllowSoftPlacement()).isTrue();
        assertThat(proto.hasGpuOptions()).isTrue();
        assertThat(proto.getGpuOptions().getVisibleDeviceList()).isEqualTo("2");
        assertThat(proto.getGpuOptions().getAllowGrowth()).isTrue();
    }

    @Test
    void withoutAGpuTensorFlowChooses() {
        assertThat(SessionOptions.defaults().toConfigProto().hasGpuOptions()).isFalse();
        assertThat(new SessionOptions(0, 1, " ").toConfigProto().hasGpuOptions()).isFalse();
    }

    @Test
    void theCpuLibraryListsTheCpuAndNoGpu() {
        // the CPU native library (this build's default): a GPU asked for is not there, whatever the options say
        List<Devices.Device> devices = Devices.of(SessionOptions.defaults().onGpus("0"));

        assertThat(devices).isNotEmpty().anySatisfy(d -> {
            assertThat(d.type()).isEqualTo("CPU");
            assertThat(d.name()).endsWith("device:CPU:0");
        });
        assertThat(Devices.anyGpu(devices)).isFalse();
        assertThat(Devices.anyGpu(List.of(new Devices.Device("/job:localhost/replica:0/task:0/device:GPU:0", "GPU"))))
                .isTrue();
    }
}
