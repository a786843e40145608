package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Volume;
import java.util.ArrayList;
import java.util.List;

/**
 * The EBS volumes of a stateful service: one encrypted gp3 volume per volume and replica, in the
 * availability zone of the private subnet its replica is pinned to (replica n takes subnet
 * (n-1) mod the number of subnets). A stack deletion keeps them ({@code Retain}: {@code down}
 * lists them, {@code down --delete-data} snapshots and deletes them); a replacement keeps a
 * snapshot of the old one. A volume {@code down} kept is handed back to the next stack through
 * its {@code Kept...} parameter, and the stack then makes none.
 */
final class VolumeRenderer {
    /** Marks data volumes (root volumes also carry the application tag); the snapshot policy targets it. */
    static final String DATA_TAG = LogicalIds.DATA_TAG;
    static final String REPLICA_TAG = LogicalIds.REPLICA_TAG;
    static final String VOLUME_TAG = LogicalIds.VOLUME_TAG;

    private final Template template;
    private final String application;
    private final Tags tags;
    private final int subnets;

    VolumeRenderer(Template template, String application, Tags tags, int subnets) {
        this.template = template;
        this.application = application;
        this.tags = tags;
        this.subnets = subnets;
    }

    /** The subnet index (0-based) replica {@code replica} (1-based) runs in. */
    static int subnetIndex(int replica, int subnets) {
        return (replica - 1) % subnets;
    }

    /** Renders the volumes of one replica; returns their logical ids, in the service's order. */
    List<ReplicaVolume> render(Service service, int replica) {
        List<ReplicaVolume> rendered = new ArrayList<>();
        JsonNode zone = EnvironmentExport.PRIVATE_SUBNET_ZONE.importValue(application, subnetIndex(replica, subnets) + 1);
        for (Volume volume : service.volumes()) {
            String id = LogicalIds.volume(volume.name(), replica);
            String kept = LogicalIds.keptVolume(volume.name(), replica);
            String makes = LogicalIds.makesVolume(volume.name(), replica);
            template.parameter(kept, "String", "A volume kept by down to use as " + volume.name() + " of replica " + replica
                    + " (i2kit fills it); empty: the stack makes the volume", "");
            template.condition(makes, Fn.equalsText(Fn.ref(kept), ""));
            template.resource(id, "AWS::EC2::Volume")
                    .<ObjectNode>set("AvailabilityZone", zone)
                    .put("Size", volume.sizeGiB())
                    .put("VolumeType", "gp3")
                    .put("Encrypted", true)
                    .set("Tags", tags.with(REPLICA_TAG, Fn.text(Integer.toString(replica)))
                            .with(VOLUME_TAG, Fn.text(volume.name()))
                            .with(DATA_TAG, Fn.text(application)).list());
            template.attribute(id, "Condition", Fn.text(makes));
            template.attribute(id, "DeletionPolicy", Fn.text("Retain"));
            template.attribute(id, "UpdateReplacePolicy", Fn.text("Snapshot"));
            rendered.add(new ReplicaVolume(volume.name(), id, Fn.ifThen(makes, Fn.ref(id), Fn.ref(kept))));
        }
        return List.copyOf(rendered);
    }

    /** A volume of a replica, its logical id, and its volume id as a template value (made or kept). */
    record ReplicaVolume(String volume, String logicalId, JsonNode volumeId) {
        /** The name {@code Fn::Sub} knows the volume id by, in a variable map of its own. */
        String variable() {
            return logicalId + "Id";
        }
    }
}
