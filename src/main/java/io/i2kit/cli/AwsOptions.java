package io.i2kit.cli;

import picocli.CommandLine.Option;

/** Options of commands that act on an AWS target ({@code -e} naming {@code provider: aws}). */
final class AwsOptions {
    @Option(names = "--endpoint-url", paramLabel = "URL",
            description = "AWS only: send every AWS call to this endpoint, e.g. an emulator. Default: "
                    + "the AWS_ENDPOINT_URL environment variable, else AWS itself.")
    String endpointUrl;

}
