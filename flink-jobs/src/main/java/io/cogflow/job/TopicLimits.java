package io.cogflow.job;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Refuses to start a job whose output topics take smaller records than the job writes. The sinks' size guard
 * bounds every record to the producer's {@code max.request.size}; the brokers enforce their own limit per topic
 * ({@code max.message.bytes}, from the brokers' {@code message.max.bytes}, 1 MiB by default), and a record above
 * it fails the sink on every replay. What the job writes is bounded by its config — a result by
 * {@code results.inline_limit_bytes} plus its bounded metadata, a dead letter by twice {@code dead_letters.keep_bytes}
 * plus its bounded error — so the check is made once, where the job is submitted ({@link SubmissionChecks}).
 */
final class TopicLimits {
    private static final Logger LOG = LoggerFactory.getLogger(TopicLimits.class);
    /** A dead letter besides the raw bytes it keeps: topic, offsets, the error (at most 4096 characters). */
    static final long DEAD_LETTER_METADATA_BYTES = 16 * 1024;

    private TopicLimits() {
    }

    /** The largest record the job writes to each output topic. */
    static Map<String, Long> largestRecords(JobConfig config) {
        Map<String, Long> largest = new LinkedHashMap<>();
        largest.put(config.kafka().resultsTopic(), config.results().inlineLimitBytes() + CogflowJob.RESULT_METADATA_BYTES);
        largest.merge(config.kafka().deadLetterTopic(), 2L * config.deadLetters().keepBytes()
                + DEAD_LETTER_METADATA_BYTES, Math::max);
        return largest;
    }

    /** @throws IllegalStateException naming the topic, its limit and the settings to change */
    static void refuseIfTooSmall(JobConfig config, Admin admin) throws InterruptedException {
        Map<String, Long> largest = largestRecords(config);
        List<String> problems = new ArrayList<>();
        try {
            for (Map.Entry<String, Long> e : largest.entrySet()) {
                ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, e.getKey());
                Config c;
                try {
                    c = admin.describeConfigs(List.of(topic)).all().get(30, TimeUnit.SECONDS).get(topic);
                } catch (ExecutionException ex) {
                    // e.g. the topic does not exist yet, or no DESCRIBE_CONFIGS permission
                    LOG.warn("could not read max.message.bytes of topic {}: {}", e.getKey(), ex.getMessage());
                    continue;
                }
                ConfigEntry limit = c == null ? null : c.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (limit != null && limit.value() != null && Long.parseLong(limit.value()) < e.getValue()) {
                    problems.add("topic " + e.getKey() + " takes records of at most " + limit.value()
                            + " bytes (max.message.bytes) but the job may write " + e.getValue());
                }
            }
        } catch (TimeoutException | org.apache.kafka.common.KafkaException ex) {
            LOG.warn("could not check the output topics' max.message.bytes: {}", ex.getMessage());
            return;
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems) + ". Raise the topic's max.message.bytes, "
                    + "or lower results.inline_limit_bytes (larger videos go to the claim-check store) or "
                    + "dead_letters.keep_bytes: a record above the topic's limit would fail the sink on every replay");
        }
    }
}
