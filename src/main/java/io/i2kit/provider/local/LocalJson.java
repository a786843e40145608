package io.i2kit.provider.local;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.vm.GuestForward;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The JSON of the local provider, in one place: the control protocol's requests and replies, the
 * desired state (running.json) and the status (state.json). Sealed types carry their kind by name
 * ({@code "type": "apply"}, {@code "kind": "tcp"}); durations are ISO-8601 ({@code "PT10S"}), paths
 * plain strings. Records map by their components, so the types themselves know nothing of JSON.
 */
final class LocalJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new Jdk8Module())
            .registerModule(new SimpleModule("i2kit-local")
                    .addSerializer(Duration.class, new ToText<>())
                    .addDeserializer(Duration.class, new FromText<>(Duration::parse))
                    .addSerializer(Path.class, new ToText<>())
                    .addDeserializer(Path.class, new FromText<>(Path::of)))
            .addMixIn(ControlRequest.class, RequestKinds.class)
            .addMixIn(ControlReply.class, ReplyKinds.class)
            .addMixIn(Endpoint.class, EndpointKinds.class)
            .addMixIn(GuestForward.Target.class, TargetKinds.class)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private LocalJson() {
    }

    /** One line: what the control socket carries. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Indented: what the state files hold, for people who read them. */
    static String writeIndented(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static <T> T read(String json, Class<T> type) throws JsonProcessingException {
        return MAPPER.readValue(json, type);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = ControlRequest.Apply.class, name = "apply"),
            @JsonSubTypes.Type(value = ControlRequest.Status.class, name = "status"),
            @JsonSubTypes.Type(value = ControlRequest.Down.class, name = "down")})
    private interface RequestKinds {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = ControlReply.Progress.class, name = "progress"),
            @JsonSubTypes.Type(value = ControlReply.Alive.class, name = "alive"),
            @JsonSubTypes.Type(value = ControlReply.Done.class, name = "done"),
            @JsonSubTypes.Type(value = ControlReply.Stopped.class, name = "stopped"),
            @JsonSubTypes.Type(value = ControlReply.Failed.class, name = "failed")})
    private interface ReplyKinds {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Endpoint.Tcp.class, name = "tcp"),
            @JsonSubTypes.Type(value = Endpoint.Unix.class, name = "unix")})
    private interface EndpointKinds {
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
    @JsonSubTypes(@JsonSubTypes.Type(value = GuestForward.UnixSocket.class, name = "unix"))
    private interface TargetKinds {
    }

    /** A value as its {@code toString}: Duration's ISO-8601, a path as given. */
    private static final class ToText<T> extends JsonSerializer<T> {
        @Override
        public void serialize(T value, JsonGenerator out, SerializerProvider serializers) throws IOException {
            out.writeString(value.toString());
        }
    }

    private static final class FromText<T> extends JsonDeserializer<T> {
        private final java.util.function.Function<String, T> parse;

        FromText(java.util.function.Function<String, T> parse) {
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser in, DeserializationContext context) throws IOException {
            String text = in.getValueAsString();
            try {
                return parse.apply(text);
            } catch (RuntimeException e) {
                return context.reportInputMismatch(this, "cannot read \"%s\": %s", text, e.getMessage());
            }
        }
    }
}
