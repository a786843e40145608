package io.i2kit.cloudformation;

import io.i2kit.manifest.Application;
import io.i2kit.manifest.Service;

/**
 * The service's CloudWatch Logs group, {@code /i2kit/<app>/<service>}: its VMs ship their
 * containers' and init's lines there, one stream per instance and container, so the lines outlive
 * the instance that wrote them for the manifest's retention. The stack owns the group: {@code down}
 * deletes it with the stack, and the instances may not create groups of their own.
 */
final class LogGroupRenderer {
    private final Template template;
    private final Application app;
    private final Tags tags;

    LogGroupRenderer(Template template, Application app, Tags tags) {
        this.template = template;
        this.app = app;
        this.tags = tags;
    }

    void render(Service service) {
        template.resource(LogicalIds.LOG_GROUP, "AWS::Logs::LogGroup")
                .put("LogGroupName", LogicalIds.logGroupName(app.name(), service.name()))
                .put("RetentionInDays", app.logRetentionDays())
                .set("Tags", tags.list());
    }
}
