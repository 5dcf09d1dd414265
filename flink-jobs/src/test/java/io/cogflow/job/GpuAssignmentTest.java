package io.cogflow.job;

import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

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
}
