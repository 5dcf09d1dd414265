package io.cogflow.cli;

import io.cogflow.job.JobConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where the Kafka cluster is: a job config from configs/ (topics, client properties), overridable. */
final class KafkaOptions {
    @Option(names = "--config", description = "A job config (configs/*.yaml) for the cluster, topics and client "
            + "properties (security, config providers).")
    Path config;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (overrides the config).")
    String bootstrap;

    @Option(names = "--kafka-property", description = "Extra client property k=v (repeatable), added to the "
            + "config's kafka.client_properties, e.g. security.protocol=SASL_SSL.")
    Map<String, String> properties = new LinkedHashMap<>();

    JobConfig.Kafka kafka() {
        JobConfig.Kafka k = config == null ? JobConfig.parse("{}").kafka() : JobConfig.load(config).kafka();
        Map<String, String> client = new LinkedHashMap<>(k.clientProperties());
        client.putAll(properties);
        return new JobConfig.Kafka(bootstrap == null ? k.bootstrapServers() : bootstrap, k.requestsTopic(),
                k.resultsTopic(), k.progressTopic(), k.deadLetterTopic(), k.groupId(), k.transactionalIdPrefix(),
                k.transactionTimeoutMs(), client);
    }
}
