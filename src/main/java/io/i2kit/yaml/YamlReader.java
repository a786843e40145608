package io.i2kit.yaml;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads YAML into positioned {@link YamlNode}s from the parser's event stream, so that every limit
 * (depth, alias expansion, duplicate keys) is enforced while reading rather than after a tree has
 * been built. Supports {@code <<} merge keys, which compose files use.
 */
public final class YamlReader {
    private final YamlLimits limits;

    public YamlReader(YamlLimits limits) {
        this.limits = limits;
    }

    public YamlReader() {
        this(YamlLimits.DEFAULT);
    }

    /** Every non-empty document of {@code file}, shown to users as {@code label}. */
    public List<YamlNode> read(Path file, String label) {
        try {
            long size = Files.size(file);
            if (size > limits.maxBytes()) {
                throw new YamlException(Position.unknown(label), "file is " + size + " bytes; the limit is "
                        + limits.maxBytes() + " bytes (" + (limits.maxBytes() >> 20) + " MiB)");
            }
            return read(Files.readAllBytes(file), label);
        } catch (NoSuchFileException e) {
            throw new YamlException(Position.unknown(label), "no such file");
        } catch (IOException e) {
            throw new YamlException(Position.unknown(label), "cannot read: " + e.getMessage());
        }
    }

    public List<YamlNode> read(byte[] bytes, String label) {
        if (bytes.length > limits.maxBytes()) {
            throw new YamlException(Position.unknown(label), "file is " + bytes.length + " bytes; the limit is "
                    + limits.maxBytes() + " bytes");
        }
        String text = decode(bytes, label);
        LoadSettings settings = LoadSettings.builder()
                .setLabel(label)
                .setCodePointLimit(Integer.MAX_VALUE)
                .setUseMarks(true)
                .build();
        Parser parser = new ParserImpl(settings, new StreamReader(settings, text));
        try {
            return new Builder(parser, label).documents();
        } catch (MarkedYamlEngineException e) {
            Position at = e.getProblemMark().map(m -> position(label, m)).orElse(Position.unknown(label));
            throw new YamlException(at, "invalid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new YamlException(Position.unknown(label), "invalid YAML: " + e.getMessage());
        }
    }

    private static String decode(byte[] bytes, String label) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            String text = decoder.decode(ByteBuffer.wrap(bytes)).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            int offset = firstInvalidUtf8(bytes);
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8).length() + 1;
            throw new YamlException(new Position(label, line, column),
                    String.format("byte 0x%02X at offset %d is not valid UTF-8; save the file as UTF-8", bytes[offset] & 0xff, offset));
        }
    }

    private static int firstInvalidUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
        while (true) {
            java.nio.charset.CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return bytes.length - 1;
            }
            out.clear();
        }
    }

    static Position position(String label, Mark mark) {
        return new Position(label, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** Builds nodes from events; one instance per call. */
    private final class Builder {
        private final Parser parser;
        private final String label;
        private final Map<Anchor, YamlNode> anchors = new HashMap<>();
        private final Map<YamlNode, Long> sizes = new IdentityHashMap<>();
        private long nodes;
        private int aliases;

        Builder(Parser parser, String label) {
            this.parser = parser;
            this.label = label;
        }

        List<YamlNode> documents() {
            List<YamlNode> documents = new ArrayList<>();
            expect(Event.ID.StreamStart);
            while (!parser.checkEvent(Event.ID.StreamEnd)) {
                expect(Event.ID.DocumentStart);
                anchors.clear();
                if (parser.checkEvent(Event.ID.DocumentEnd)) {
                    parser.next();
                    continue;
                }
                YamlNode root = node(1);
                expect(Event.ID.DocumentEnd);
                if (!(root instanceof YamlNode.Scalar s && s.isNull())) {
                    documents.add(root);
                }
            }
            return documents;
        }

        private void expect(Event.ID id) {
            Event event = parser.next();
            if (event.getEventId() != id) {
                throw new YamlException(at(event), "unexpected " + event.getEventId());
            }
        }

        private Position at(Event event) {
            return event.getStartMark().map(m -> position(label, m)).orElse(Position.unknown(label));
        }

        private YamlNode node(int depth) {
            Event event = parser.next();
            if (depth > limits.maxDepth()) {
                throw new YamlException(at(event), "nesting deeper than " + limits.maxDepth() + " levels");
            }
            YamlNode node = switch (event.getEventId()) {
                case Alias -> alias((AliasEvent) event);
                case Scalar -> scalar((ScalarEvent) event);
                case SequenceStart -> sequence(event, depth);
                case MappingStart -> mapping(event, depth);
                default -> throw new YamlException(at(event), "unexpected " + event.getEventId());
            };
            if (event instanceof NodeEvent ne && !(event instanceof AliasEvent)) {
                ne.getAnchor().ifPresent(a -> anchors.put(a, node));
            }
            return node;
        }

        private YamlNode alias(AliasEvent event) {
            if (++aliases > limits.maxAliases()) {
                throw new YamlException(at(event), "more than " + limits.maxAliases() + " aliases");
            }
            YamlNode target = anchors.get(event.getAlias());
            if (target == null) {
                throw new YamlException(at(event), "unknown alias *" + event.getAlias().getValue());
            }
            count(at(event), sizes.getOrDefault(target, 1L));
            return target;
        }

        private void count(Position where, long added) {
            nodes += added;
            if (nodes > limits.maxNodes()) {
                throw new YamlException(where, "the document expands to more than " + limits.maxNodes()
                        + " nodes through aliases (a YAML alias bomb?)");
            }
        }

        private YamlNode scalar(ScalarEvent event) {
            count(at(event), 1);
            boolean plain = event.getScalarStyle() == ScalarStyle.PLAIN && event.getTag().isEmpty();
            YamlNode.Scalar node = new YamlNode.Scalar(event.getValue(), plain, at(event));
            sizes.put(node, 1L);
            return node;
        }

        private YamlNode sequence(Event start, int depth) {
            long before = nodes;
            count(at(start), 1);
            List<YamlNode> items = new ArrayList<>();
            while (!parser.checkEvent(Event.ID.SequenceEnd)) {
                items.add(node(depth + 1));
            }
            parser.next();
            YamlNode node = new YamlNode.Sequence(items, at(start));
            sizes.put(node, nodes - before);
            return node;
        }

        private YamlNode mapping(Event start, int depth) {
            long before = nodes;
            count(at(start), 1);
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            Map<String, Position> keyPositions = new HashMap<>();
            List<YamlNode> merges = new ArrayList<>();
            while (!parser.checkEvent(Event.ID.MappingEnd)) {
                YamlNode key = node(depth + 1);
                if (!(key instanceof YamlNode.Scalar scalarKey)) {
                    throw new YamlException(key.position(), "a map key must be a plain string, found " + key.kind());
                }
                YamlNode value = node(depth + 1);
                if (scalarKey.plain() && scalarKey.value().equals("<<")) {
                    merges.add(value);
                    continue;
                }
                Position previous = keyPositions.putIfAbsent(scalarKey.value(), key.position());
                if (previous != null) {
                    throw new YamlException(key.position(), "duplicate key \"" + scalarKey.value()
                            + "\" (first defined at line " + previous.line() + ")");
                }
                entries.put(scalarKey.value(), value);
            }
            parser.next();
            for (YamlNode merge : merges) {
                merge(merge, entries, keyPositions);
            }
            YamlNode node = new YamlNode.Mapping(entries, keyPositions, at(start));
            sizes.put(node, nodes - before);
            return node;
        }

        // Explicit keys win over merged ones, as the YAML merge-key convention says.
        private void merge(YamlNode source, Map<String, YamlNode> entries, Map<String, Position> keyPositions) {
            if (source instanceof YamlNode.Mapping m) {
                m.entries().forEach((k, v) -> {
                    if (!entries.containsKey(k)) {
                        entries.put(k, v);
                        keyPositions.put(k, m.keyPosition(k));
                    }
                });
            } else if (source instanceof YamlNode.Sequence s) {
                s.items().forEach(item -> merge(item, entries, keyPositions));
            } else {
                throw new YamlException(source.position(), "a merge key (<<) takes a map or a list of maps");
            }
        }
    }
}
