package io.cogflow.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The model module is inference only: no Kafka, no Flink, and none of the modules built on it (training, parity,
 * benchmarks, the command line). Its test classpath is its dependency closure plus JUnit, so a dependency that
 * brings one of them fails here.
 */
class DependenciesTest {
    @ParameterizedTest
    @ValueSource(strings = {"org.apache.kafka.clients.consumer.Consumer",
        "org.apache.flink.api.common.functions.Function", "io.cogflow.schemas.GenerationRequest",
        "io.cogflow.training.TwoStageTraining", "io.cogflow.parity.Comparison", "picocli.CommandLine",
        "org.knowm.xchart.XYChart"})
    void isNotOnTheClassPath(String className) {
        assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
    }
}
