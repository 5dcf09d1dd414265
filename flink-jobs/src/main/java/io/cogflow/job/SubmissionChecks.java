package io.cogflow.job;

import io.cogflow.client.ClientProperties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.util.Map;

/**
 * What is checked against the Kafka cluster before a job is submitted — by {@link JobMain}, {@link LocalJob} and
 * {@link RemoteJob} alike, with one admin client: the output topics take the records the job writes
 * ({@link TopicLimits}), and no other job writes with its transactional-id prefix ({@link TransactionalIdCheck}).
 */
final class SubmissionChecks {
    private SubmissionChecks() {
    }

    /** @throws IllegalStateException saying what would go wrong and what to change */
    static void refuseUnsafe(JobConfig config) throws InterruptedException {
        JobConfig.Kafka k = config.kafka();
        Map<String, Object> props = ClientProperties.forClient("submission checks", k.clientProperties())
                .fromSetting(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers(), "kafka.bootstrap_servers")
                .toMap();
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            TopicLimits.refuseIfTooSmall(config, admin);
            TransactionalIdCheck.refuseIfInUse(config, admin, TransactionalIdCheck.watchFor(config));
        }
    }
}
