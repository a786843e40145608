package io.i2kit.provider.aws.stack;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Change;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.CreateChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DeleteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackRequest;
import software.amazon.awssdk.services.cloudformation.model.DeleteStackResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsResponse;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksRequest;
import software.amazon.awssdk.services.cloudformation.model.DescribeStacksResponse;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetRequest;
import software.amazon.awssdk.services.cloudformation.model.ExecuteChangeSetResponse;
import software.amazon.awssdk.services.cloudformation.model.Export;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateRequest;
import software.amazon.awssdk.services.cloudformation.model.GetTemplateResponse;
import software.amazon.awssdk.services.cloudformation.model.ListExportsRequest;
import software.amazon.awssdk.services.cloudformation.model.ListExportsResponse;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ResourceChange;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * CloudFormation in memory, for the states moto never reaches: operations that take several
 * polls, stacks that roll back, change sets that fail. Each DescribeStacks of a stack runs the next
 * scripted step of that stack, so a test decides what CloudFormation "does" between two polls.
 */
final class FakeCloudFormation implements CloudFormationClient {
    static final String STACK_TYPE = "AWS::CloudFormation::Stack";

    final class FakeStack {
        final String id;
        final String name;
        String status;
        String reason;
        String template = "{}";
        Map<String, String> parameters = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        Map<String, String> outputs = new LinkedHashMap<>();
        final List<StackEvent> events = new ArrayList<>();
        final Deque<Runnable> steps = new ArrayDeque<>();

        FakeStack(String name, String status) {
            this.id = "arn:aws:cloudformation:eu-west-1:123456789012:stack/" + name + "/" + UUID.randomUUID();
            this.name = name;
            this.status = status;
        }

        /** The stack reaches {@code newStatus}, with its own event. */
        void become(String newStatus, String why) {
            status = newStatus;
            reason = why;
            event(name, STACK_TYPE, newStatus, why);
        }

        void event(String logicalId, String type, String resourceStatus, String why) {
            events.add(StackEvent.builder().eventId(UUID.randomUUID().toString()).stackId(id).stackName(name)
                    .logicalResourceId(logicalId).resourceType(type).resourceStatus(resourceStatus)
                    .resourceStatusReason(why).timestamp(clock = clock.plusSeconds(1)).build());
        }

        /** Runs on a later DescribeStacks of this stack, one step per call. */
        FakeStack then(Runnable step) {
            steps.add(step);
            return this;
        }
    }

    record FakeChangeSet(String id, String name, FakeStack stack, ChangeSetType type, CreateChangeSetRequest request,
                         String status, String reason) {
    }

    final Map<String, FakeStack> live = new LinkedHashMap<>();
    final Map<String, FakeStack> byId = new LinkedHashMap<>();
    final Map<String, FakeChangeSet> changeSets = new LinkedHashMap<>();
    final List<String> calls = new ArrayList<>();
    final Set<String> exports = new TreeSet<>();
    int eventsPageSize = 100;
    Instant clock = Instant.parse("2026-01-01T00:00:00Z");
    /** What executing a change set does to its stack; by default it succeeds over two polls. */
    Consumer<FakeStack> execution = this::succeed;
    /** When set, ExecuteChangeSet itself fails with this message, as moto does. */
    Optional<String> executeError = Optional.empty();
    /** What deleting a stack does; by default it is gone on the next poll. */
    Consumer<FakeStack> deletion = stack -> stack.then(() -> {
        stack.become("DELETE_COMPLETE", null);
        live.remove(stack.name);
    });

    FakeStack stack(String name, String status) {
        FakeStack stack = new FakeStack(name, status);
        live.put(name, stack);
        byId.put(stack.id, stack);
        stack.event(name, STACK_TYPE, status, null);
        return stack;
    }

    void succeed(FakeStack stack) {
        String operation = stack.status.startsWith("UPDATE") ? "UPDATE" : "CREATE";
        stack.then(() -> stack.event("Queue", "AWS::SQS::Queue", operation + "_COMPLETE", null))
                .then(() -> stack.become(operation + "_COMPLETE", null));
    }

    @Override
    public DescribeStacksResponse describeStacks(DescribeStacksRequest request) {
        calls.add("DescribeStacks");
        FakeStack stack = find(request.stackName());
        if (!stack.steps.isEmpty()) {
            stack.steps.poll().run();
        }
        return DescribeStacksResponse.builder().stacks(Stack.builder().stackId(stack.id).stackName(stack.name)
                .stackStatus(stack.status).stackStatusReason(stack.reason)
                .parameters(stack.parameters.entrySet().stream().map(e -> Parameter.builder()
                        .parameterKey(e.getKey()).parameterValue(e.getValue()).build()).toList())
                .tags(stack.tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                        .build()).toList())
                .outputs(stack.outputs.entrySet().stream().map(e -> Output.builder().outputKey(e.getKey())
                        .outputValue(e.getValue()).build()).toList())
                .build()).build();
    }

    @Override
    public DescribeStackEventsResponse describeStackEvents(DescribeStackEventsRequest request) {
        calls.add("DescribeStackEvents");
        List<StackEvent> newestFirst = new ArrayList<>(find(request.stackName()).events);
        java.util.Collections.reverse(newestFirst);
        int from = request.nextToken() == null ? 0 : Integer.parseInt(request.nextToken());
        int to = Math.min(newestFirst.size(), from + eventsPageSize);
        return DescribeStackEventsResponse.builder().stackEvents(newestFirst.subList(from, to))
                .nextToken(to < newestFirst.size() ? Integer.toString(to) : null).build();
    }

    @Override
    public GetTemplateResponse getTemplate(GetTemplateRequest request) {
        calls.add("GetTemplate");
        return GetTemplateResponse.builder().templateBody(find(request.stackName()).template).build();
    }

    @Override
    public CreateChangeSetResponse createChangeSet(CreateChangeSetRequest request) {
        calls.add("CreateChangeSet");
        FakeStack stack = live.get(request.stackName());
        if (request.changeSetType() == ChangeSetType.CREATE && stack == null) {
            stack = stack(request.stackName(), "REVIEW_IN_PROGRESS");
        }
        boolean same = stack.template.equals(request.templateBody())
                && stack.parameters.equals(parameters(request));
        String id = "arn:aws:cloudformation:eu-west-1:123456789012:changeSet/" + request.changeSetName() + "/"
                + UUID.randomUUID();
        changeSets.put(id, new FakeChangeSet(id, request.changeSetName(), stack, request.changeSetType(), request,
                same ? "FAILED" : "CREATE_COMPLETE",
                same ? "The submitted information didn't contain changes. Submit different information to create "
                        + "a change set." : null));
        return CreateChangeSetResponse.builder().id(id).stackId(stack.id).build();
    }

    @Override
    public DescribeChangeSetResponse describeChangeSet(DescribeChangeSetRequest request) {
        calls.add("DescribeChangeSet");
        FakeChangeSet cs = changeSet(request.changeSetName());
        return DescribeChangeSetResponse.builder().changeSetId(cs.id).changeSetName(cs.name).stackId(cs.stack.id)
                .stackName(cs.stack.name).status(cs.status).statusReason(cs.reason)
                .changes(Change.builder().type("Resource").resourceChange(ResourceChange.builder()
                        .action(cs.type == ChangeSetType.CREATE ? "Add" : "Modify").logicalResourceId("Queue")
                        .resourceType("AWS::SQS::Queue").replacement(cs.type == ChangeSetType.CREATE ? null : "False")
                        .build()).build())
                .build();
    }

    @Override
    public ExecuteChangeSetResponse executeChangeSet(ExecuteChangeSetRequest request) {
        calls.add("ExecuteChangeSet");
        if (executeError.isPresent()) {
            throw error("ExportNotFound", executeError.get());
        }
        FakeChangeSet cs = changeSets.remove(request.changeSetName());
        FakeStack stack = cs.stack;
        stack.template = cs.request.templateBody();
        stack.parameters = parameters(cs.request);
        stack.become(cs.type == ChangeSetType.CREATE ? "CREATE_IN_PROGRESS" : "UPDATE_IN_PROGRESS", "User Initiated");
        execution.accept(stack);
        return ExecuteChangeSetResponse.builder().build();
    }

    @Override
    public DeleteChangeSetResponse deleteChangeSet(DeleteChangeSetRequest request) {
        calls.add("DeleteChangeSet");
        changeSets.remove(changeSet(request.changeSetName()).id);
        return DeleteChangeSetResponse.builder().build();
    }

    @Override
    public DeleteStackResponse deleteStack(DeleteStackRequest request) {
        calls.add("DeleteStack");
        FakeStack stack = find(request.stackName());
        stack.become("DELETE_IN_PROGRESS", "User Initiated");
        deletion.accept(stack);
        return DeleteStackResponse.builder().build();
    }

    @Override
    public ListExportsResponse listExports(ListExportsRequest request) {
        calls.add("ListExports");
        return ListExportsResponse.builder().exports(exports.stream().map(n -> Export.builder().name(n).build()).toList())
                .build();
    }

    long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    private FakeStack find(String nameOrId) {
        FakeStack stack = nameOrId.startsWith("arn:") ? byId.get(nameOrId) : live.get(nameOrId);
        if (stack == null) {
            throw error("ValidationError", "Stack with id " + nameOrId + " does not exist");
        }
        return stack;
    }

    private FakeChangeSet changeSet(String id) {
        FakeChangeSet cs = changeSets.get(id);
        if (cs == null) {
            throw error("ChangeSetNotFound", "ChangeSet [" + id + "] does not exist");
        }
        return cs;
    }

    private static Map<String, String> parameters(CreateChangeSetRequest request) {
        Map<String, String> parameters = new LinkedHashMap<>();
        request.parameters().forEach(p -> parameters.put(p.parameterKey(), p.parameterValue()));
        return parameters;
    }

    static CloudFormationException error(String code, String message) {
        return (CloudFormationException) CloudFormationException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @Override
    public String serviceName() {
        return "cloudformation";
    }

    @Override
    public void close() {
    }
}
