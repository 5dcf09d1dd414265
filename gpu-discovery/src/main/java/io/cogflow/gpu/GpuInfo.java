package io.cogflow.gpu;

import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One GPU: property {@code index}, the CUDA index that {@code GenerateFunction} hands TensorFlow as its
 * {@code visible_device_list}. It matches nvidia-smi's index only with {@code CUDA_DEVICE_ORDER=PCI_BUS_ID} in the
 * TaskManager's environment (CUDA's default order is fastest first).
 */
public record GpuInfo(String index) implements ExternalResourceInfo {
    public static final String INDEX = "index";

    @Override
    public Optional<String> getProperty(String key) {
        return INDEX.equals(key) ? Optional.of(index) : Optional.empty();
    }

    @Override
    public Collection<String> getKeys() {
        return List.of(INDEX);
    }

    @Override
    public String toString() {
        return "GPU " + index;
    }
}
