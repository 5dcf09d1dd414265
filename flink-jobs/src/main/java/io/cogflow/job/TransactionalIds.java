package io.cogflow.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The prefix of the sinks' transactional ids. Two jobs writing with the same prefix fence and abort each other's
 * transactions (each one's restart aborts "its" lingering transactions, which are the other's), so a fixed default
 * prefix makes every second deployment of the shipped config break the first. Unless configured
 * ({@code kafka.transactional_id_prefix}), the prefix is derived from what makes a deployment itself: its consumer
 * group and its topics — two jobs that share all of those share their offsets too, and are one deployment.
 */
final class TransactionalIds {
    private TransactionalIds() {
    }

    static String prefix(JobConfig.Kafka k) {
        if (k.transactionalIdPrefix() != null) {
            return k.transactionalIdPrefix();
        }
        String identity = String.join("\n", k.groupId(), k.requestsTopic(), k.resultsTopic(), k.deadLetterTopic());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            // readable where the broker lists it, unique by the hash
            String group = k.groupId().replaceAll("[^A-Za-z0-9._-]", "_");
            return "cogflow-" + group.substring(0, Math.min(group.length(), 64)) + "-"
                    + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
