package ca.cmp.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The deployable artefacts (Dockerfile, deploy/compose.yaml, deploy/k8s) cannot run here, no container engine or
 * cluster being available: what can be checked without them is. Every manifest parses; kustomize lists every
 * file; the probes point at the groups application.yml enables; every setting the manifests pass is one the hub
 * reads; the Dockerfile copies files that exist and the jar the build names.
 */
class DeployArtefactsTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path K8S = ROOT.resolve("deploy/k8s");

    static List<Map<String, Object>> documents(Path file) throws IOException {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(file))) {
            if (doc != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) doc;
                docs.add(map);
            }
        }
        return docs;
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current)
                    .get(step);
        }
        return (T) current;
    }

    static Map<String, Map<String, Object>> manifestsByKind() throws IOException {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Map<String, Object> doc : documents(file)) {
                    byKind.put((String) doc.get("kind"), doc);
                }
            }
        }
        return byKind;
    }

    /** The settings the hub reads: the ${NAME} placeholders of application.yml. */
    static Set<String> settingsTheHubReads() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(
                Files.readString(ROOT.resolve("hub-server/src/main/resources/application.yml")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static boolean known(String name, Set<String> read) {
        // JAVA_OPTS is the image's own.
        return read.contains(name) || name.equals("JAVA_OPTS");
    }

    @Test
    void kubernetesManifestsParseAndKustomizeListsThemAll() throws IOException {
        Map<String, Map<String, Object>> byKind = manifestsByKind();
        assertThat(byKind).containsKeys("Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "ConfigMap", "Secret", "Kustomization");
        List<String> listed = at(byKind.get("Kustomization"), "resources");
        try (Stream<Path> files = Files.list(K8S)) {
            assertThat(listed).containsExactlyInAnyOrderElementsOf(files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml")).toList());
        }
        Map<String, Object> deployment = byKind.get("Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isGreaterThan(1);
        Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", 0);
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path"))
                .isEqualTo("/actuator/health/readiness");
        assertThat((String) at(byKind.get("HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name"))
                .isEqualTo(at(deployment, "metadata", "name"));
        Map<String, Object> selector = at(byKind.get("PodDisruptionBudget"), "spec", "selector", "matchLabels");
        assertThat((Map<String, Object>) at(deployment, "spec", "template", "metadata", "labels"))
                .containsAllEntriesOf(selector);
        assertThat(Files.readString(ROOT.resolve("hub-server/src/main/resources/application.yml")))
                .containsPattern("probes:\\s+enabled: true");
    }

    @Test
    void everySettingTheManifestsPassIsOneTheHubReads() throws IOException {
        Set<String> read = settingsTheHubReads();
        Map<String, Map<String, Object>> byKind = manifestsByKind();
        Map<String, Object> config = at(byKind.get("ConfigMap"), "data");
        Map<String, Object> secret = at(byKind.get("Secret"), "stringData");
        List<String> passed = new ArrayList<>(config.keySet());
        secret.keySet().stream().filter(k -> !k.contains(".")).forEach(passed::add);
        Map<String, Object> compose = at(documents(ROOT.resolve("deploy/compose.yaml")).get(0), "services", "hub",
                "environment");
        passed.addAll(compose.keySet());
        assertThat(passed).allSatisfy(name -> assertThat(known(name, read)).as(name + " is read by the hub").isTrue());
        // What a deployment cannot do without: an external database and Redis, and one signing key for all.
        assertThat(secret).containsKeys("HUB_DB_URL", "HUB_DB_PASSWORD", "HUB_REDIS_URL", "HUB_ADMIN_SECRET",
                "issuer-key.jwk");
        assertThat(config).containsKeys("HUB_ISSUER", "HUB_KEY_FILE");
    }

    @Test
    void theDockerfileCopiesWhatTheBuildMakes() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
        assertThat(dockerfile).startsWith("# ").containsPattern("(?m)^FROM debian:")
                .containsPattern("(?m)^USER 10001").contains("install-native-services.sh --runtime");
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) ").matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            copies++;
            String source = copy.group(1);
            if (source.endsWith(".jar")) {
                // Built by Maven: the name the hub-server pom gives it.
                assertThat(source).isEqualTo("hub-server/target/" + "hub-server.jar");
                assertThat(Files.readString(ROOT.resolve("hub-server/pom.xml")))
                        .contains("<finalName>hub-server</finalName>");
            } else {
                assertThat(ROOT.resolve(source)).exists();
            }
        }
        assertThat(copies).isEqualTo(2);
    }
}
