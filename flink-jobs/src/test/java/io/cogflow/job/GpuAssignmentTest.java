package io.cogflow.job;

import io.cogflow.model.tf.Devices;
import io.cogflow.model.tf.SessionOptions;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GpuAssignmentTest {
    private record Info(Map<String, String> properties) implements ExternalResourceInfo {
        @Override
        public Optional<String> getProperty(String key) {
            return Optional.ofNullable(properties.get(key));
        }

        @Override
        public Collection<String> getKeys() {
            return properties.keySet();
        }
    }

    @Test
    void theGpuFlinkAssignedWinsThenTheFallbackThenTheCpu() {
        assertThat(GenerateFunction.assignedGpu(Set.of(new Info(Map.of("index", "3"))), "0")).isEqualTo("3");
        assertThat(GenerateFunction.assignedGpu(Set.of(), "1")).isEqualTo("1");
        assertThat(GenerateFunction.assignedGpu(Set.of(), null)).isNull();
        assertThat(GenerateFunction.assignedGpu(Set.of(new Info(Map.of())), " ")).isNull();
    }

    private static final Devices.Device CPU = new Devices.Device("/job:localhost/replica:0/task:0/device:CPU:0", "CPU");
    private static final Devices.Device GPU = new Devices.Device("/job:localhost/replica:0/task:0/device:GPU:0", "GPU");

    @Test
    void theDeviceGaugeNamesAGpuOnlyWhenTensorFlowListsOne() {
        assertThat(GenerateFunction.device("3", List.of(CPU, GPU))).isEqualTo("gpu:3");
        assertThat(GenerateFunction.device(null, List.of(CPU, GPU))).isEqualTo("gpu");
        assertThat(GenerateFunction.device(null, List.of(CPU))).isEqualTo("cpu");
    }

    @Test
    void anAssignedGpuThatTensorFlowDoesNotSeeFailsTheSubtask() {
        assertThatThrownBy(() -> GenerateFunction.device("1", List.of(CPU)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GPU 1 was assigned but TensorFlow sees no GPU")
                .hasMessageContaining("CUDA 12.5 / cuDNN 9.3")
                .hasMessageContaining("Maven profile gpu");
    }

    @Test
    void onThisCpuBuildTheRealDeviceListSaysCpuOrFailsAnAssignedGpu() {
        assertThat(GenerateFunction.device(null, Devices.of(new SessionOptions(1, 1)))).isEqualTo("cpu");
        assertThatThrownBy(() -> GenerateFunction.device("0", Devices.of(new SessionOptions(1, 1, "0"))))
                .hasMessageContaining("GPU 0 was assigned but TensorFlow sees no GPU");
    }
}
