package io.i2kit.provider.aws.ami;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.oci.Digest;
import java.util.Map;
import java.util.TreeMap;

/** What moto stored for a snapshot, read back through ListSnapshotBlocks and GetSnapshotBlock. */
final class StoredBlocks {
    private StoredBlocks() {
    }

    /** Block index to its SHA-256, for every block the snapshot holds. */
    static Map<Integer, Digest> of(EbsDirectClient ebs, String snapshotId) {
        JsonNode list = ebs.call("GET", "/snapshots/" + snapshotId + "/blocks", Map.of(), new byte[0],
                "list the blocks of " + snapshotId, false, false).json();
        Map<Integer, Digest> blocks = new TreeMap<>();
        for (JsonNode block : list.path("Blocks")) {
            int index = block.path("BlockIndex").asInt();
            byte[] bytes = ebs.call("GET", "/snapshots/" + snapshotId + "/blocks/" + index + "?blockToken="
                    + block.path("BlockToken").asText(), Map.of(), new byte[0], "get block " + index, false, false).body();
            blocks.put(index, Digest.of(bytes));
        }
        return blocks;
    }

    static Map<Integer, Digest> digests(Map<Integer, byte[]> blocks) {
        Map<Integer, Digest> digests = new TreeMap<>();
        blocks.forEach((index, bytes) -> digests.put(index, Digest.of(bytes)));
        return digests;
    }
}
