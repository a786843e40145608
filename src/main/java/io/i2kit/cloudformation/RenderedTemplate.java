package io.i2kit.cloudformation;

/** One CloudFormation template ready to deploy: the file it is written to, its stack, its JSON text. */
public record RenderedTemplate(String fileName, String stackName, String json) {
}
