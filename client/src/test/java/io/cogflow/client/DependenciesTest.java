package io.cogflow.client;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client library is what downstream services depend on: the wire contract and kafka-clients only. Its test
 * classpath is its dependency closure (plus JUnit), so a dependency that drags TensorFlow's natives or Flink in
 * fails here rather than in a consumer's build.
 */
class DependenciesTest {
    @ParameterizedTest
    @ValueSource(strings = {"org.tensorflow.Tensor", "org.bytedeco.javacpp.Loader",
        "org.apache.flink.api.common.functions.Function", "io.cogflow.model.video.VideoFormat",
        "io.cogflow.connectors.claimcheck.ClaimCheckStore", "picocli.CommandLine"})
    void isNotOnTheClassPath(String className) {
        assertThatThrownBy(() -> Class.forName(className)).isInstanceOf(ClassNotFoundException.class);
    }
}
