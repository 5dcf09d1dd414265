package io.cogflow.job;

import io.cogflow.scheduling.AdaptivePolicy;
import io.cogflow.scheduling.BucketLoad;
import io.cogflow.scheduling.ContinuousPolicy;
import io.cogflow.scheduling.FixedWaitPolicy;
import io.cogflow.scheduling.SlotPolicy;
import io.cogflow.model.pipeline.BatchProfile;
import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobConfigTest {
    private static Path configs() {
        return Path.of(System.getProperty("cogflow.root", "..")).resolve("configs");
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo.yaml", "cluster.yaml", "gpu-cluster.yaml"})
    void theShippedConfigsParse(String file) {
        JobConfig c = JobConfig.load(configs().resolve(file));
        assertThat(c.kafka().transactionTimeoutMs()).isLessThanOrEqualTo(900_000);
        assertThat(c.generation().slots()).isPositive();
        assertThat(c.batching().defaults().maxBatch()).isPositive();
    }

    @Test
    void bucketsOverrideTheDefaultsAndSecurityPropertiesPassThrough() {
        JobConfig gpu = JobConfig.load(configs().resolve("gpu-cluster.yaml"));
        assertThat(gpu.batching().limits(VideoSize.parse("256x256x17")).maxBatch()).isEqualTo(16);
        assertThat(gpu.batching().limits(VideoSize.parse("1024x576x49"))).isEqualTo(gpu.batching().defaults());
        assertThat(gpu.generation().gpus()).isEqualTo(1.0);
        JobConfig cluster = JobConfig.load(configs().resolve("cluster.yaml"));
        assertThat(cluster.kafka().clientProperties()).containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void missingSectionsTakeDefaultsAndMistakesAreNamed() {
        JobConfig c = JobConfig.parse("{}");
        assertThat(c.kafka().requestsTopic()).isEqualTo("cogflow.requests");
        assertThat(c.results().inlineLimitBytes()).isEqualTo(512 * 1024);
        assertThatThrownBy(() -> JobConfig.parse("kafka: {bootstrap_server: x}"))
                .hasMessageContaining("bootstrap_server");
        assertThatThrownBy(() -> JobConfig.parse("batching: {buckets: {64x64: {max_batch: 2, max_wait_ms: 1}}}"))
                .hasMessageContaining("WIDTHxHEIGHTxFRAMES");
    }

    @Test
    void batchingPoliciesAreNamedAndTheAdaptiveOneNeedsAReadableProfile() {
        assertThat(JobConfig.parse("{}").batching().toPolicy()).isInstanceOf(FixedWaitPolicy.class);
        assertThat(JobConfig.parse("batching: {policy: none}").batching().toPolicy().decide(
                VideoSize.parse("64x64x17"), BucketLoad.of(5, 0, 0)).take()).isEqualTo(1);
        assertThatThrownBy(() -> JobConfig.parse("batching: {policy: greedy}"))
                .hasMessageContaining("fixed, adaptive, none, continuous");
        // continuous: running sets capped by the fixed limits (or by the adaptive policy when profiled)
        SlotPolicy continuous = JobConfig.parse("batching: {policy: continuous, priority_aging_ms: 250, "
                + "defaults: {max_batch: 6, max_wait_ms: 0}}").batching().toSlotPolicy();
        assertThat(continuous).isEqualTo(new ContinuousPolicy(new FixedWaitPolicy(new FixedWaitPolicy.Limits(6, 0),
                java.util.Map.of()), 250, 1));
        assertThat(continuous.maxBatch(VideoSize.parse("64x64x17"))).isEqualTo(6);
        assertThat(JobConfig.parse("{}").batching().toSlotPolicy()).isInstanceOf(SlotPolicy.RequestLevel.class);
        assertThat(JobConfig.parse("generation: {routing: bucket-affine}").generation().routing())
                .isEqualTo("bucket-affine");
        assertThatThrownBy(() -> JobConfig.parse("generation: {routing: random}"))
                .hasMessageContaining("rebalance or bucket-affine");
        assertThatThrownBy(() -> JobConfig.parse("batching: {policy: adaptive}"))
                .hasMessageContaining("batching.profile");
        assertThatThrownBy(() -> JobConfig.parse("batching: {policy: adaptive, profile: no/such.json}").batching()
                .toPolicy()).hasMessageContaining("no/such.json").hasMessageContaining("cogflow bench profile");
    }

    @Test
    void theDemoConfigPlansFromItsMeasuredProfile() {
        JobConfig demo = JobConfig.load(configs().resolve("demo.yaml"));
        JobConfig.Batching b = demo.batching();
        assertThat(b.policy()).isEqualTo("adaptive");
        Path profile = configs().getParent().resolve(b.profile());
        AdaptivePolicy policy = (AdaptivePolicy) new JobConfig.Batching(b.policy(), b.defaults(), b.buckets(),
                profile.toString(), b.latencyTargetMs()).toPolicy();
        VideoSize size = VideoSize.parse("64x64x17");
        assertThat(policy.profile().covers(size)).isTrue();
        assertThat(policy.profile().points(size)).extracting(BatchProfile.Point::batch).contains(policy.batchSize(size));
    }

    @Test
    void aYamlSyntaxErrorNamesFileLineAndColumnButNotTheLine(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("broken.yaml");
        Files.writeString(file, """
                kafka:
                  bootstrap_servers: k:9092
                  client_properties:
                    sasl.jaas.config: ScramLoginModule required password="hunter2": oops
                """);
        assertThatThrownBy(() -> JobConfig.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ":4:")
                .hasMessageContaining("YAML syntax error")
                .hasMessageNotContaining("hunter2")
                .hasMessageNotContaining("ScramLoginModule");
    }

    @Test
    void aMistypedValueNamesItsKeyButNotTheValue(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("typo.yaml");
        Files.writeString(file, """
                kafka:
                  transaction_timeout_ms: hunter2
                """);
        assertThatThrownBy(() -> JobConfig.load(file))
                .hasMessage(file + ":2:3: kafka.transaction_timeout_ms: expected an integer");
        Files.writeString(file, """
                kafka:
                  bootstrap_server: k:9092
                """);
        assertThatThrownBy(() -> JobConfig.load(file))
                .hasMessageStartingWith(file + ":2:3: unknown key kafka.bootstrap_server (known here: ")
                .hasMessageContaining("bootstrap_servers");
    }

    @Test
    void theOldNameOfClientPropertiesIsRefusedNamingTheNewOne() {
        assertThatThrownBy(() -> JobConfig.parse("kafka: {security_properties: {security.protocol: SSL}}"))
                .hasMessageContaining("kafka.security_properties was renamed to kafka.client_properties");
        assertThat(JobConfig.parse("kafka: {client_properties: {security.protocol: SSL}}").kafka().clientProperties())
                .isEqualTo(Map.of("security.protocol", "SSL"));
    }

    @Test
    void theRemovedTestingSectionIsRefusedSayingWhy() {
        assertThatThrownBy(() -> JobConfig.parse("testing: {fail_after_batches: 3, slowdown_ms: 20}"))
                .hasMessage("job config: testing is no longer a config key: failures and slowdowns are injected by "
                        + "tests alone, through the generator factory the job is built with (GeneratorFactory), never "
                        + "by a production config");
    }

    @Test
    void clientPropertiesThatConflictWithTheJobAreRefusedWhenTheJobIsBuilt() {
        JobConfig small = JobConfig.parse("kafka: {client_properties: {max.request.size: '1048576'}}");
        assertThatThrownBy(() -> CogflowJob.sinkProperties(small, "results"))
                .hasMessageContaining("max.request.size=1048576").hasMessageContaining("results sink");
        JobConfig other = JobConfig.parse("kafka: {client_properties: {group.id: other}}");
        assertThatThrownBy(() -> CogflowJob.sourceProperties(other.kafka()))
                .hasMessageContaining("set kafka.group_id instead");
        // a larger inline limit needs larger producer requests, not a silent failure at the first big video
        JobConfig big = JobConfig.parse("""
                results: {inline_limit_bytes: 20000000}
                kafka: {client_properties: {max.request.size: '10000000'}}
                """);
        assertThatThrownBy(() -> CogflowJob.sinkProperties(big, "results")).hasMessageContaining("at least 20065536");
        assertThat(CogflowJob.sinkProperties(JobConfig.parse("{}"), "results").getProperty("max.request.size"))
                .isEqualTo(Long.toString(8 << 20));
    }

    @Test
    void theSourceReadsOnlyCommittedRequests() {
        assertThat(CogflowJob.sourceProperties(JobConfig.parse("{}").kafka()).getProperty("isolation.level"))
                .isEqualTo("read_committed");
        JobConfig uncommitted = JobConfig.parse("kafka: {client_properties: {isolation.level: read_uncommitted}}");
        assertThatThrownBy(() -> CogflowJob.sourceProperties(uncommitted.kafka()))
                .hasMessageContaining("isolation.level=read_uncommitted").hasMessageContaining("requests source");
    }

    @Test
    void transactionalIdsComeFromTheDeploymentUnlessConfigured() {
        JobConfig.Kafka a = JobConfig.parse("kafka: {group_id: shop}").kafka();
        String prefix = TransactionalIds.prefix(a);
        assertThat(prefix).matches("cogflow-shop-[0-9a-f]{16}");
        assertThat(TransactionalIds.prefix(JobConfig.parse("kafka: {group_id: shop}").kafka())).as("stable")
                .isEqualTo(prefix);
        assertThat(TransactionalIds.prefix(JobConfig.parse("kafka: {group_id: shop, results_topic: other}").kafka()))
                .as("another deployment").isNotEqualTo(prefix);
        assertThat(TransactionalIds.prefix(JobConfig.parse("kafka: {transactional_id_prefix: mine}").kafka()))
                .isEqualTo("mine");
    }

    @Test
    void checkpointsGoToAUriAndEmbeddedRunsGetAWorkingFolder() {
        assertThat(JobConfig.parse("{}").checkpoints().dir()).isNull();
        assertThat(JobConfig.parse("checkpoints: {dir: 's3://b/cogflow'}").checkpoints().dir())
                .isEqualTo("s3://b/cogflow");
        assertThatThrownBy(() -> JobConfig.parse("checkpoints: {dir: /var/cogflow}"))
                .hasMessageContaining("checkpoints.dir must be a URI");
        assertThat(LocalJob.withCheckpointFolder(JobConfig.parse("{}")).checkpoints().dir()).startsWith("file:");
        assertThat(LocalJob.withCheckpointFolder(JobConfig.parse("checkpoints: {dir: 'file:///x'}")).checkpoints()
                .dir()).isEqualTo("file:///x");
    }

    @Test
    void deadLettersKeepABoundedPrefix() {
        assertThat(JobConfig.parse("{}").deadLetters().keepBytes()).isEqualTo(64 * 1024);
        assertThat(JobConfig.parse("dead_letters: {keep_bytes: 1024}").deadLetters().keepBytes()).isEqualTo(1024);
        assertThatThrownBy(() -> JobConfig.parse("dead_letters: {keep_bytes: 5000000}"))
                .hasMessageContaining("dead_letters.keep_bytes must be at most");
    }

    @Test
    void thePrometheusPortIsAPortOrARange() {
        assertThat(JobConfig.parse("metrics: {prometheus_port: 9249}").metrics().prometheusPort()).isEqualTo("9249");
        assertThat(JobConfig.parse("metrics: {prometheus_port: 9250-9260}").metrics().prometheusPort())
                .isEqualTo("9250-9260");
        assertThat(JobConfig.parse("{}").metrics().prometheusPort()).isNull();
        assertThatThrownBy(() -> JobConfig.parse("metrics: {prometheus_port: all}"))
                .hasMessageContaining("metrics.prometheus_port must be a port");
    }
}
