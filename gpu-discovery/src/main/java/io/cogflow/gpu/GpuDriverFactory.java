package io.cogflow.gpu;

import org.apache.flink.api.common.externalresource.ExternalResourceDriver;
import org.apache.flink.api.common.externalresource.ExternalResourceDriverFactory;
import org.apache.flink.configuration.Configuration;

/**
 * Creates the {@link GpuDriver}. Named in {@code external-resource.gpu.driver-factory.class}; Flink finds it only
 * through its plugin manager, so this module's jar goes to {@code plugins/cogflow-gpu/} on every TaskManager.
 * {@code config} holds the {@code external-resource.gpu.param.*} keys without that prefix.
 */
public final class GpuDriverFactory implements ExternalResourceDriverFactory {

    @Override
    public ExternalResourceDriver createExternalResourceDriver(Configuration config) {
        return new GpuDriver(GpuDriverOptions.from(config));
    }
}
