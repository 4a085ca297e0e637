package dev.weir.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * Runs Apache Kafka's transformations and predicates over golden cases, as the worker's
 * TransformationChain does (ConnectorConfig.transformationStages, TransformationStage.apply).
 * Usage: TransformsGolden <cases.jsonl> <results.jsonl>. Each input line is one case as golden.ts
 * expands it from the corpus; each output line holds what happened to each of its records.
 */
@SuppressWarnings({"rawtypes", "unchecked"})
public final class TransformsGolden {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A config, input, transform or output failure: where it happened and Java's exception. */
    private static final class Failure extends Exception {
        final String stage;
        final Throwable error;

        Failure(String stage, Throwable error) {
            super(stage, error);
            this.stage = stage;
            this.error = error;
        }
    }

    private record Stage(Transformation transformation,
                         Predicate predicate, boolean negate) { }

    public static void main(String[] args) throws Exception {
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8);
             BufferedWriter out = Files.newBufferedWriter(Path.of(args[1]), StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) continue;
                out.write(JSON.writeValueAsString(runCase(JSON.readTree(line))));
                out.newLine();
            }
        }
    }

    private static ObjectNode runCase(JsonNode spec) {
        ObjectNode result = JSON.createObjectNode();
        result.put("name", spec.get("name").asText());
        Map<String, String> props = new LinkedHashMap<>();
        spec.get("props").fields().forEachRemaining(e -> props.put(e.getKey(), e.getValue().asText()));
        List<Stage> stages;
        try {
            stages = stages(props);
        } catch (Exception e) {
            result.set("error", error("config", e));
            return result;
        }
        JsonNode schemas = spec.get("schemas");
        JsonConverter keyIn = converter("key", schemas.get("key").asBoolean());
        JsonConverter valueIn = converter("value", schemas.get("value").asBoolean());
        JsonConverter headerIn = converter("header", schemas.get("headers").asBoolean());
        JsonConverter keyOut = converter("key", true);
        JsonConverter valueOut = converter("value", true);
        JsonConverter headerOut = converter("header", true);
        boolean sink = "sink".equals(spec.get("kind").asText());
        ArrayNode records = result.putArray("records");
        for (JsonNode input : spec.get("records")) {
            try {
                ConnectRecord record = toRecord(input, sink, keyIn, valueIn, headerIn);
                for (Stage stage : stages) {
                    record = apply(stage, record);
                    if (record == null) break;
                }
                if (record == null) {
                    records.addObject().put("dropped", true);
                } else {
                    records.add(output(record, keyOut, valueOut, headerOut));
                }
            } catch (Failure f) {
                records.addObject().set("error", error(f.stage, f.error));
            }
        }
        for (Stage stage : stages) {
            stage.transformation().close();
            if (stage.predicate() != null) stage.predicate().close();
        }
        return result;
    }

    /** As ConnectorConfig.transformationStages: each transform, then its predicate, configured in order. */
    private static List<Stage> stages(Map<String, String> props) throws Exception {
        List<Stage> stages = new ArrayList<>();
        for (String alias : list(props.get("transforms"))) {
            String prefix = "transforms." + alias + ".";
            Map<String, Object> configs = withPrefix(props, prefix);
            Transformation transformation = newPlugin(props, prefix + "type");
            String predicateAlias = (String) configs.remove("predicate");
            Object negate = configs.remove("negate");
            transformation.configure(configs);
            Predicate predicate = null;
            if (predicateAlias != null) {
                String predicatePrefix = "predicates." + predicateAlias + ".";
                predicate = newPlugin(props, predicatePrefix + "type");
                predicate.configure(withPrefix(props, predicatePrefix));
            }
            stages.add(new Stage(transformation, predicate,
                    negate != null && Boolean.parseBoolean(negate.toString())));
        }
        return stages;
    }

    private static <T> T newPlugin(Map<String, String> props, String typeConfig) throws Exception {
        String type = props.get(typeConfig);
        if (type == null || type.isBlank()) {
            throw new ConfigException("Missing required configuration \"" + typeConfig + "\" which has no default value.");
        }
        return (T) Class.forName(type.trim()).getDeclaredConstructor().newInstance();
    }

    private static ConnectRecord apply(Stage stage, ConnectRecord record) throws Failure {
        try {
            boolean transform = stage.predicate() == null || (stage.negate() ^ stage.predicate().test(record));
            return transform ? stage.transformation().apply(record) : record;
        } catch (Exception e) {
            throw new Failure("transform", e);
        }
    }

    private static ConnectRecord toRecord(JsonNode input, boolean sink, JsonConverter keyIn,
                                             JsonConverter valueIn, JsonConverter headerIn) throws Failure {
        try {
            String topic = input.get("topic").asText();
            ConnectHeaders headers = new ConnectHeaders();
            for (JsonNode header : input.get("headers")) {
                String key = header.get("key").asText();
                SchemaAndValue sv = headerIn.toConnectHeader(topic, key, bytes(header.get("value")));
                headers.add(key, sv);
            }
            SchemaAndValue key = keyIn.toConnectData(topic, bytes(input.get("key")));
            SchemaAndValue value = valueIn.toConnectData(topic, bytes(input.get("value")));
            Long timestamp = input.get("timestamp").isNull() ? null : input.get("timestamp").asLong();
            JsonNode partition = input.get("partition");
            if (sink) {
                return new SinkRecord(topic, partition.asInt(), key.schema(), key.value(), value.schema(), value.value(),
                        input.get("offset").asLong(), timestamp,
                        timestamp == null ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME, headers);
            }
            return new SourceRecord(null, null, topic, partition.isNull() ? null : partition.asInt(),
                    key.schema(), key.value(), value.schema(), value.value(), timestamp, headers);
        } catch (Exception e) {
            throw new Failure("input", e);
        }
    }

    private static ObjectNode output(ConnectRecord record, JsonConverter keyOut, JsonConverter valueOut,
                                     JsonConverter headerOut) throws Failure {
        try {
            ObjectNode out = JSON.createObjectNode();
            out.put("topic", record.topic());
            if (record.kafkaPartition() == null) out.putNull("partition");
            else out.put("partition", record.kafkaPartition());
            if (record.timestamp() == null) out.putNull("timestamp");
            else out.put("timestamp", record.timestamp());
            ArrayNode headers = out.putArray("headers");
            for (Header header : record.headers()) {
                ObjectNode h = headers.addObject();
                h.put("key", header.key());
                h.put("value", text(headerOut.fromConnectHeader(record.topic(), header.key(), header.schema(),
                        sorted(header.schema(), header.value()))));
            }
            out.put("key", text(keyOut.fromConnectData(record.topic(), record.keySchema(),
                    sorted(record.keySchema(), record.key()))));
            out.put("value", text(valueOut.fromConnectData(record.topic(), record.valueSchema(),
                    sorted(record.valueSchema(), record.value()))));
            return out;
        } catch (Exception e) {
            throw new Failure("output", e);
        }
    }

    /**
     * The value with every Map's entries in key order (keys compared as strings): Connect maps are
     * HashMaps, whose order says nothing, so both sides write maps sorted and compare the rest exactly.
     */
    private static Object sorted(Schema schema, Object value) {
        if (value instanceof Map<?, ?> map) {
            Schema valueSchema = schema != null && schema.type() == Schema.Type.MAP ? schema.valueSchema() : null;
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            entries.sort(Comparator.comparing(e -> String.valueOf(e.getKey())));
            Map<Object, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : entries) copy.put(e.getKey(), sorted(valueSchema, e.getValue()));
            return copy;
        }
        if (value instanceof List<?> list) {
            Schema elementSchema = schema != null && schema.type() == Schema.Type.ARRAY ? schema.valueSchema() : null;
            List<Object> copy = new ArrayList<>(list.size());
            boolean changed = false;
            for (Object element : list) {
                Object s = sorted(elementSchema, element);
                changed |= s != element;
                copy.add(s);
            }
            return changed ? copy : list;
        }
        if (value instanceof Struct struct) {
            Map<String, Object> changed = new HashMap<>();
            for (Field field : struct.schema().fields()) {
                Object original = struct.getWithoutDefault(field.name());
                Object s = sorted(field.schema(), original);
                if (s != original) changed.put(field.name(), s);
            }
            if (changed.isEmpty()) return struct;
            Struct copy = new Struct(struct.schema());
            for (Field field : struct.schema().fields()) {
                Object v = changed.containsKey(field.name()) ? changed.get(field.name()) : struct.getWithoutDefault(field.name());
                if (v != null) copy.put(field, v);
            }
            return copy;
        }
        return value;
    }

    private static JsonConverter converter(String type, boolean schemasEnabled) {
        JsonConverter converter = new JsonConverter();
        Map<String, Object> configs = new HashMap<>();
        configs.put("converter.type", type);
        configs.put("schemas.enable", Boolean.toString(schemasEnabled));
        // Nulls stay nulls on the way in and out, so what transforms do with them shows.
        configs.put("replace.null.with.default", "false");
        converter.configure(configs);
        return converter;
    }

    private static ObjectNode error(String stage, Throwable e) {
        ObjectNode error = JSON.createObjectNode();
        error.put("stage", stage);
        error.put("class", e.getClass().getSimpleName());
        error.put("message", e.getMessage());
        return error;
    }

    private static byte[] bytes(JsonNode text) {
        return text == null || text.isNull() ? null : text.asText().getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> list(String value) {
        String trimmed = value == null ? "" : value.trim();
        return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s*,\\s*", -1));
    }

    private static Map<String, Object> withPrefix(Map<String, String> props, String prefix) {
        Map<String, Object> result = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith(prefix)) result.put(k.substring(prefix.length()), v);
        });
        return result;
    }

    private TransformsGolden() { }
}
