package io.i2kit.provider.aws.stack;

import io.i2kit.provider.aws.stack.ChangeSetCreator.ChangeSet;
import io.i2kit.provider.aws.stack.StackInspector.Inspection;
import io.i2kit.provider.aws.stack.StackPlan.Operation;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Says what deploying stacks would do, through change sets that are deleted again: a plan leaves
 * no change set behind, nor a stack it had to make to hold one. A stack whose template imports
 * exports of a stack the same plan creates is planned from its template alone, since CloudFormation
 * refuses a change set that imports an export that does not exist yet.
 */
public final class StackPlanner {
    private final StackReader reader;
    private final StackInspector inspector;
    private final ChangeSetCreator changeSets;
    private final StackRemover remover;

    public StackPlanner(CloudFormationClient cfn, StackTimings timings) {
        this.reader = new StackReader(cfn);
        this.inspector = new StackInspector(cfn, timings);
        this.changeSets = new ChangeSetCreator(cfn, timings);
        this.remover = new StackRemover(cfn, timings);
    }

    /** Plans every request; the result is in the order of the requests. */
    public List<StackPlan> plan(List<StackRequest> requests) {
        return plan(requests, progress -> { });
    }

    /** Plans every request, telling the listener when it waits for a stack that is busy. */
    public List<StackPlan> plan(List<StackRequest> requests, Consumer<StackProgress> listener) {
        Batch batch = new Batch(requests, listener);
        return requests.stream().map(batch::plan).toList();
    }

    /**
     * A stack to be created that no change set can describe yet, because a value it needs does
     * not exist (a service whose AMI is made only by up): every resource of its template, added.
     * A stack that exists is planned through a change set instead.
     */
    public StackPlan planCreation(StackRequest request, String after) {
        return new StackPlan(request.stackName(), StackPlan.Operation.CREATE,
                TemplateReader.resourcesAsAdds(request.templateBody()), List.of(), Optional.of(after));
    }

    /** One plan call: the requests by name, the plans made so far, the region's exports once read. */
    private final class Batch {
        private final Map<String, StackRequest> requests = new LinkedHashMap<>();
        private final Map<String, StackPlan> plans = new HashMap<>();
        private final Set<String> planning = new HashSet<>();
        private final Consumer<StackProgress> listener;
        private Set<String> exports;

        Batch(List<StackRequest> requests, Consumer<StackProgress> listener) {
            requests.forEach(r -> this.requests.put(r.stackName(), r));
            this.listener = listener;
        }

        StackPlan plan(StackRequest request) {
            StackPlan known = plans.get(request.stackName());
            if (known == null) {
                planning.add(request.stackName());
                try {
                    known = planNow(request);
                } finally {
                    planning.remove(request.stackName());
                }
                plans.put(request.stackName(), known);
            }
            return known;
        }

        private StackPlan planNow(StackRequest request) {
            String name = request.stackName();
            Inspection found = inspector.inspect(name, listener);
            Set<String> missing = missingImports(request);
            if (!missing.isEmpty()) {
                return fromTemplate(request, found, missing);
            }
            return switch (found.decision()) {
                case UPDATE -> update(request, found.stack().orElseThrow());
                case RECREATE -> new StackPlan(name, Operation.RECREATE,
                        TemplateReader.resourcesAsAdds(request.templateBody()), List.of(), Optional.empty());
                default -> new StackPlan(name, Operation.CREATE, changes(request, ChangeSetType.CREATE,
                        found.stack().isEmpty()), List.of(), Optional.empty());
            };
        }

        private StackPlan update(StackRequest request, Stack stack) {
            String name = request.stackName();
            if (StackComparer.matches(stack, reader.originalTemplate(stack.stackId(), name), request)) {
                return StackPlan.unchanged(name);
            }
            List<String> parameters = StackComparer.changedParameters(StackReader.parameters(stack), request.parameters());
            Optional<ChangeSet> changeSet = changeSets.create(request, ChangeSetType.UPDATE, "plan");
            changeSet.ifPresent(cs -> changeSets.delete(cs.id(), name));
            return changeSet.map(cs -> new StackPlan(name, Operation.UPDATE, cs.changes(), parameters, Optional.empty()))
                    .orElseGet(() -> StackPlan.unchanged(name));
        }

        /** A stack that would be created after the stack whose exports it imports. */
        private StackPlan fromTemplate(StackRequest request, Inspection found, Set<String> missing) {
            String name = request.stackName();
            Optional<String> source = request.dependsOn();
            // A stack being planned cannot come before itself: a cycle of dependsOn plans nothing from templates.
            boolean sourceIsCreated = source.filter(s -> !planning.contains(s)).map(requests::get).map(this::plan)
                    .map(p -> p.operation() == Operation.CREATE || p.operation() == Operation.RECREATE).orElse(false);
            if (!sourceIsCreated || found.decision() == DeployDecision.UPDATE) {
                throw new StackException(name, "planning stack " + name + " failed: its template imports exports that "
                        + "do not exist: " + String.join(", ", missing) + ", and no stack this plan creates provides "
                        + "them" + source.map(s -> " (they come from " + s + ")").orElse("") + ". Deploy "
                        + source.orElse("the stack that exports them") + " first, then plan again.");
            }
            Operation operation = found.decision() == DeployDecision.RECREATE ? Operation.RECREATE : Operation.CREATE;
            return new StackPlan(name, operation, TemplateReader.resourcesAsAdds(request.templateBody()), List.of(), source);
        }

        private Set<String> missingImports(StackRequest request) {
            Set<String> imports = TemplateReader.imports(request.templateBody());
            if (imports.isEmpty()) {
                return Set.of();
            }
            if (exports == null) {
                exports = reader.exportNames(request.stackName());
            }
            imports.removeAll(exports);
            return imports;
        }
    }

    /**
     * The changes of a change set made and deleted again; {@code ownStack}: the stack did not exist
     * and the change set made it (in REVIEW_IN_PROGRESS), so it goes too.
     */
    private List<ResourceChange> changes(StackRequest request, ChangeSetType type, boolean ownStack) {
        Optional<ChangeSet> changeSet = Optional.empty();
        try {
            changeSet = changeSets.create(request, type, "plan");
            return changeSet.map(ChangeSet::changes).orElse(List.of());
        } finally {
            changeSet.ifPresent(cs -> changeSets.delete(cs.id(), request.stackName()));
            if (ownStack) {
                reader.find(request.stackName(), request.stackName())
                        .filter(s -> s.stackStatus() == StackStatus.REVIEW_IN_PROGRESS)
                        .ifPresent(s -> remover.remove(s, progress -> { }));
            }
        }
    }
}
