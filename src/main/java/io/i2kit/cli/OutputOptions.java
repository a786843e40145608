package io.i2kit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --output text|json}: results as lines for people or one JSON document for scripts. */
final class OutputOptions {
    enum Format { TEXT, JSON }

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    boolean json() {
        return format == Format.JSON;
    }

    static void printJson(PrintWriter out, Object result) {
        try {
            out.println(new ObjectMapper().registerModule(new Jdk8Module()).enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("result not serialisable", e);
        }
    }
}
