package io.cogflow.job;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every config in configs/ (and deploy/'s): parses, builds the job's Kafka clients, and holds no secret in plain text. */
class ShippedConfigsTest {
    /** A value that is a secret unless it is a config-provider reference. */
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token|\\.key)$");
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password=\"([^\"]*)\"");
    private static final Pattern PROVIDER_REFERENCE = Pattern.compile("\\$\\{[a-z]+:[^}]+}");

    static Stream<Path> configs() throws IOException {
        Path dir = Path.of(System.getProperty("cogflow.root", "..")).resolve("configs");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("demo.yaml", "cluster.yaml", "gpu-cluster.yaml");
        // and the job config of the Compose cluster in deploy/
        Path compose = dir.resolveSibling("deploy").resolve("compose-job.yaml");
        assertThat(compose).isRegularFile();
        return Stream.concat(files.stream(), Stream.of(compose));
    }

    @ParameterizedTest
    @MethodSource("configs")
    void noClientPropertyHoldsASecretInPlainText(Path file) {
        JobConfig.Kafka k = JobConfig.load(file).kafka();
        k.clientProperties().forEach((key, value) -> {
            if (SECRET_KEY.matcher(key).matches()) {
                assertThat(value).as(file + ": " + key).matches(PROVIDER_REFERENCE);
            }
            var m = JAAS_PASSWORD.matcher(value);
            while (m.find()) {
                assertThat(m.group(1)).as(file + ": the password in " + key).matches(PROVIDER_REFERENCE);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("configs")
    void theJobsClientsAcceptTheConfigAndResolveSecretsFromTheEnvironment(Path file) {
        JobConfig config = JobConfig.load(file);
        CogflowJob.sourceProperties(config.kafka());
        ProgressPublisher.properties(config.kafka());
        Properties sink = CogflowJob.sinkProperties(config, "results");
        // what Kafka's producer makes of it, config providers resolved (as in every TaskManager)
        sink.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        sink.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        ProducerConfig resolved = new ProducerConfig(sink);
        assertThat(resolved.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)).isGreaterThanOrEqualTo(8 << 20);
        String jaas = config.kafka().clientProperties().get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas != null && jaas.contains("${env:COGFLOW_KAFKA_PASSWORD}")) {
            assertThat(resolved.getPassword(SaslConfigs.SASL_JAAS_CONFIG).value())
                    .contains("password=\"" + System.getenv("COGFLOW_KAFKA_PASSWORD") + "\"")
                    .doesNotContain("${env:");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cluster.yaml", "gpu-cluster.yaml"})
    void theClusterConfigsTakeTheirPasswordFromTheEnvironment(String name) {
        Path file = Path.of(System.getProperty("cogflow.root", "..")).resolve("configs").resolve(name);
        assertThat(JobConfig.load(file).kafka().clientProperties())
                .containsEntry("config.providers", "env")
                .containsEntry("config.providers.env.class",
                        "org.apache.kafka.common.config.provider.EnvVarConfigProvider")
                .hasEntrySatisfying(SaslConfigs.SASL_JAAS_CONFIG,
                        v -> assertThat(v).contains("${env:COGFLOW_KAFKA_PASSWORD}"));
    }
}
